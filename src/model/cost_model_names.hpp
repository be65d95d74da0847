// The names the cost model's enumerations have in the YAML files and in every output
// (allocation.csv's kind, the price list header's method, messages): one place for them.
#pragma once

#include <string>

#include "model/model.hpp"

namespace costcover::model {

[[nodiscard]] std::string to_string(AllocationMethod method);  // "direct" | "step_down" | "reciprocal"
[[nodiscard]] std::string to_string(CentreKind kind);          // "support" | "production"

}  // namespace costcover::model
