// Must not compile: model is pure and sees only core.
#include "store/contracts.hpp"
