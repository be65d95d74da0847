// Found instead of the real header because this library is pure (cmake/CostcoverLibrary.cmake):
// only src/db and src/store may reach the database.
#error "costcover: a pure library must not include SOCI or libpq; database code belongs in src/db or src/store"
