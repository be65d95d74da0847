#include "model/cost_model_names.hpp"

namespace costcover::model {

// Every enumerator has its case (-Wswitch makes a new one a build error); the returns
// after the switches are never reached.
std::string to_string(AllocationMethod method) {
  switch (method) {
    case AllocationMethod::direct:
      return "direct";
    case AllocationMethod::step_down:
      return "step_down";
    case AllocationMethod::reciprocal:
      return "reciprocal";
  }
  return "direct";
}

std::string to_string(CentreKind kind) {
  switch (kind) {
    case CentreKind::support:
      return "support";
    case CentreKind::production:
      return "production";
  }
  return "production";
}

}  // namespace costcover::model
