#include "cli/year_option.hpp"

#include <fmt/format.h>

#include "core/dates.hpp"
#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace costcover::cli {

int year_option(const std::string& text) {
  const auto year = parse_year(text);
  if (!year) {
    throw UsageError(fmt::format("--year expects a year YYYY from {} to {}, got {}", kFirstYear, kLastYear,
                                 quote_for_message(text)));
  }
  return *year;
}

}  // namespace costcover::cli
