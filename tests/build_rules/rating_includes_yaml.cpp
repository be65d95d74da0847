// Must not compile: only the contracts loader reads YAML.
#include <yaml-cpp/yaml.h>
