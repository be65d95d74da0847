// Found instead of the real header because this library is not the YAML loader
// (cmake/CostcoverLibrary.cmake): only src/contracts reads YAML.
#error "costcover: only src/contracts may include yaml-cpp"
