#include "cli/issue_date.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "store/calendar.hpp"
#include "store/invoices.hpp"

namespace costcover::cli {

Date resolve_issue_date(soci::session& session, const std::optional<Date>& given) {
  if (!given) return store::business_day_on_or_after(session, store::helsinki_today(session));
  const Date next = store::business_day_on_or_after(session, *given);
  if (next != *given) {
    throw UsageError(fmt::format("--issue-date {} is {}, not a business day; the next business day is {}",
                                 format_date(*given), store::why_not_business_day(session, *given), format_date(next)));
  }
  return *given;
}

}  // namespace costcover::cli
