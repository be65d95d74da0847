// --year YYYY, as the yearly commands (costs import, prices propose, settle) take it.
#pragma once

#include <string>

namespace costcover::cli {

// A year the program works in (core/dates.hpp: kFirstYear..kLastYear); UsageError quoting
// the text otherwise.
[[nodiscard]] int year_option(const std::string& text);

}  // namespace costcover::cli
