// Must not compile: invoice is pure; libpq is for src/db only.
#include <libpq-fe.h>
