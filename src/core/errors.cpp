#include "core/errors.hpp"

#include <utility>

namespace costcover {

std::string Location::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

std::string Finding::to_string() const {
  const std::string place = where.to_string();
  return place.empty() ? message : place + ": " + message;
}

namespace {

std::string summarize(const std::vector<Finding>& findings) {
  if (findings.empty()) return "invalid input";
  std::string out = findings.front().to_string();
  if (findings.size() > 1) out += " (and " + std::to_string(findings.size() - 1) + " more)";
  return out;
}

}  // namespace

InputError::InputError(std::vector<Finding> findings)
    : std::runtime_error(summarize(findings)), findings_(std::move(findings)) {}

InputError::InputError(const std::string& message) : std::runtime_error(message), findings_{Finding{{}, message}} {}

}  // namespace costcover
