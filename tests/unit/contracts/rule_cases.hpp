// The cases of the rules a broken/ fixture cannot pin: what a folder holds (links, FIFOs,
// sockets, missing and misnamed files), a second file of a kind, and bytes and sizes no
// fixture should carry. Each builds its input, loads it, and says the one finding it
// expects; rules_test.cpp runs them and counts their rules as covered.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "contracts/loader.hpp"
#include "contracts/rules.hpp"

namespace costcover::contracts::testing {

struct GeneratedCase {
  std::string name;
  Rule rule;
  // The load's result and the one finding expected of it, as printed.
  std::function<std::pair<LoadResult, std::string>()> run;
};

[[nodiscard]] std::vector<GeneratedCase> generated_cases();

// For gtest's messages: the case's name.
inline void PrintTo(const GeneratedCase& c, std::ostream* out) { *out << c.name; }

}  // namespace costcover::contracts::testing
