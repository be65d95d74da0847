#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/errors.hpp"

namespace costcover::cli {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters each cost 1.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// "--period=2027-01" -> "--period".
std::string option_name(const std::string& arg) { return arg.substr(0, arg.find('=')); }

bool looks_like_option(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

}  // namespace

std::set<std::string> options_named_in(const std::string& usage) {
  static const std::regex kOption("--[a-z][a-z0-9-]*");
  std::set<std::string> names{"--help"};
  for (auto it = std::sregex_iterator(usage.begin(), usage.end(), kOption); it != std::sregex_iterator(); ++it) {
    std::string name = it->str();
    while (!name.empty() && name.back() == '-') name.pop_back();
    names.insert(name);
  }
  return names;
}

std::optional<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (best) return best;
  // A beginning of one candidate only ("--per" for --period).
  std::optional<std::string> prefixed;
  for (const auto& candidate : candidates) {
    if (word.size() >= 3 && candidate.rfind(word, 0) == 0) {
      if (prefixed) return std::nullopt;
      prefixed = candidate;
    }
  }
  return prefixed;
}

Args::Args(std::vector<std::string> raw, std::string usage)
    : raw_(std::move(raw)), used_(raw_.size(), false), usage_(std::move(usage)), known_(options_named_in(usage_)) {}

void Args::check_named(const std::string& name) const {
  if (known_.count(name) == 0) {
    throw InvariantError(fmt::format("the command reads option {}, which its usage text does not name", name));
  }
}

std::optional<std::string> Args::option(const std::string& name) {
  check_named(name);
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
  check_named(name);
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
  check_named(name);
  bool found = false;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (!used_[i] && raw_[i] == name) {
      used_[i] = true;
      found = true;
    }
  }
  return found;
}

std::optional<std::string> Args::unknown_option() const {
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (used_[i] || !looks_like_option(raw_[i])) continue;
    const std::string name = option_name(raw_[i]);
    if (known_.count(name) != 0) continue;
    const std::vector<std::string> candidates(known_.begin(), known_.end());
    if (const auto near = nearest(name, candidates))
      return fmt::format("unknown option {}; did you mean {}?", name, *near);
    return "unknown option " + name;
  }
  return std::nullopt;
}

std::vector<std::string> Args::positionals(std::size_t min, std::size_t max) {
  if (const auto unknown = unknown_option()) throw UsageError(*unknown);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    if (used_[i]) continue;
    if (looks_like_option(raw_[i])) {
      throw UsageError(fmt::format("option {} is not taken here, or not in this place", option_name(raw_[i])));
    }
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
