#include <algorithm>

#include "cli/command.hpp"
#include "core/errors.hpp"

namespace costcover::cli {

Args::Args(std::vector<std::string> raw, std::string usage)
    : raw_(std::move(raw)), used_(raw_.size(), false), usage_(std::move(usage)) {}

std::optional<std::string> Args::option(const std::string& name) {
  std::optional<std::string> value;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (used_[i]) continue;
    if (raw_[i] == name) {
      if (i + 1 >= raw_.size()) throw UsageError(name + " needs a value");
      used_[i] = used_[i + 1] = true;
      value = raw_[i + 1];
      ++i;
    } else if (raw_[i].rfind(name + "=", 0) == 0) {
      used_[i] = true;
      value = raw_[i].substr(name.size() + 1);
    }
  }
  return value;
}

std::vector<std::string> Args::repeated(const std::string& name) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (used_[i]) continue;
    if (raw_[i] == name) {
      if (i + 1 >= raw_.size()) throw UsageError(name + " needs a value");
      used_[i] = used_[i + 1] = true;
      values.push_back(raw_[i + 1]);
      ++i;
    } else if (raw_[i].rfind(name + "=", 0) == 0) {
      used_[i] = true;
      values.push_back(raw_[i].substr(name.size() + 1));
    }
  }
  return values;
}

std::string Args::required(const std::string& name) {
  auto value = option(name);
  if (!value) throw UsageError("missing " + name);
  return *value;
}

bool Args::flag(const std::string& name) {
  bool found = false;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (!used_[i] && raw_[i] == name) {
      used_[i] = true;
      found = true;
    }
  }
  return found;
}

std::vector<std::string> Args::positionals(std::size_t min, std::size_t max) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (used_[i]) continue;
    if (raw_[i].size() > 1 && raw_[i][0] == '-') throw UsageError("unknown option " + raw_[i]);
    out.push_back(raw_[i]);
  }
  if (out.size() < min) throw UsageError(min == 1 && max == 1 ? "missing argument" : "too few arguments");
  if (out.size() > max) throw UsageError("unexpected argument " + out[max]);
  return out;
}

std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> commands;
  return commands;
}

Registrar::Registrar(Command command) {
  auto name = command.name;
  registry().emplace(std::move(name), std::move(command));
}

}  // namespace costcover::cli
