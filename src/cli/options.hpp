// The options several commands share, parsed one way: a usage error (exit status 2)
// names the option, quotes the value and says what was expected.
#pragma once

#include <optional>
#include <string>

#include <soci/soci.h>

#include "cli/command.hpp"
#include "core/dates.hpp"

namespace costcover::cli {

// --period YYYY-MM (or another month option), required.
[[nodiscard]] Month month_option(Args& args, const std::string& name = "--period");
// The same, optional (generate --month).
[[nodiscard]] std::optional<Month> optional_month_option(Args& args, const std::string& name);
// --year YYYY within the program's years (core/dates.hpp: kFirstYear..kLastYear), required.
[[nodiscard]] int year_option(Args& args, const std::string& name = "--year");
// --agency ID ([A-Z0-9]+), optional.
[[nodiscard]] std::optional<std::string> agency_option(Args& args, const std::string& name = "--agency");
// A usage error unless the agency (when given) is one the database holds: names the nearest
// known id, or the known ids when there are few. Every command taking --agency calls it.
void check_known_agency(soci::session& session, const std::optional<std::string>& agency,
                        const std::string& name = "--agency");
// A day YYYY-MM-DD (--issue-date, --date), optional.
[[nodiscard]] std::optional<Date> date_option(Args& args, const std::string& name);

}  // namespace costcover::cli
