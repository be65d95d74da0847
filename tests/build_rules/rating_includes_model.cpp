// Must compile: rating depends on model (the check above fails for the right reason).
#include "model/model.hpp"
#include "rating/rating.hpp"
