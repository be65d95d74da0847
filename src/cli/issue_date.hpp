// The issue date of finalize and credit, checked against the stored business calendar
// (docs/invoicing.md, "Issue and due dates").
#pragma once

#include <optional>

#include <soci/soci.h>

#include "core/dates.hpp"

namespace costcover::cli {

// The --issue-date given (a UsageError when it is a weekend or holiday, naming the next
// business day), or by default today in Helsinki when it is a business day, else the
// next business day.
[[nodiscard]] Date resolve_issue_date(soci::session& session, const std::optional<Date>& given);

}  // namespace costcover::cli
