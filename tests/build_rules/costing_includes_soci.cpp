// Must not compile: costing is pure; SOCI is for src/db only.
#include <soci/soci.h>
