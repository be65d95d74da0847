// Must not compile: rating is pure and sees only core and model.
#include "db/job.hpp"
