#include "rating/window.hpp"

#include <algorithm>

#include "core/phrases.hpp"

namespace costcover::rating::detail {

DateRange year_window(const Group& group, Month month) {
  const Month anchor = Month::of(group.span.from);
  const int offset = months_between(anchor, month);
  const int years = offset >= 0 ? offset / 12 : -((-offset + 11) / 12);
  const Month first = add_months(anchor, years * 12);
  return {first.first_day(), add_months(first, 11).last_day()};
}

MonthVersions month_versions(const std::vector<DayTerms>& month_days) {
  MonthVersions out;
  for (const DayTerms& day : month_days) {
    if (day.terms == nullptr) {
      continue;
    }
    out.per = day.terms->volume.per;
    out.last = day.version;
    auto [days, inserted] = out.days.emplace(day.version->version, DateRange{day.day, day.day});
    days->second.to = day.day;
  }
  return out;
}

EffectiveLimit effective_limit(const std::vector<DayTerms>& window, const std::string& service, LimitKind kind) {
  const bool lower = kind == LimitKind::lower;
  EffectiveLimit limit;
  Int128 active = 0;
  Int128 all = 0;
  for (const DayTerms& day : window) {
    if (day.terms == nullptr) {
      continue;
    }
    const auto& written = lower ? day.terms->volume.lower_limit : day.terms->volume.upper_limit;
    if (!written) {
      continue;
    }
    limit.present = true;
    limit.written = *written;
    all += *written;
    const model::AgreementException* suspension =
        lower ? day.version->first_exception(model::ExceptionKind::limits_suspended, service, day.day) : nullptr;
    if (suspension == nullptr) {
      active += *written;
      continue;
    }
    if (limit.suspended_by == nullptr) {
      limit.suspended_by = suspension;
    }
    ++limit.suspended_days;
  }
  const auto window_days = static_cast<Int128>(window.size());
  if (window_days > 0) {
    limit.unsuspended = narrow(divide_round(all, window_days), "limit");
    limit.value = narrow(divide_round(active, window_days), "limit");
  }
  return limit;
}

std::string limit_text(const char* which, const EffectiveLimit& limit, bool yearly) {
  std::string text = std::string(yearly ? "yearly " : "") + which + " " + std::to_string(limit.value);
  if (limit.value != limit.unsuspended || limit.unsuspended != limit.written) {
    text += " (written " + std::to_string(limit.written) + ")";
  }
  return text;
}

std::string limit_text(LimitKind kind, const EffectiveLimit& limit, bool yearly, std::string_view language) {
  const Phrase which = kind == LimitKind::lower ? (yearly ? Phrase::yearly_lower_limit : Phrase::lower_limit)
                                                : (yearly ? Phrase::yearly_upper_limit : Phrase::upper_limit);
  std::string text = phrase(which, language, limit.value);
  if (limit.value != limit.unsuspended || limit.unsuspended != limit.written) {
    text += phrase(Phrase::limit_written, language, limit.written);
  }
  return text;
}

namespace {

// Billable units of the window's days before month_start: rows of days with terms that
// no exclusion takes out.
[[nodiscard]] std::int64_t prior_units(const ServiceWindow& window, const std::string& service, Date month_start,
                                       std::span<const DailyVolume* const> history) {
  std::int64_t prior = 0;
  for (const DailyVolume* row : history) {
    if (row->day < window.range.from || row->day >= month_start) {
      continue;
    }
    const DayTerms& day = window.days[static_cast<std::size_t>(day_index(window.range.from, row->day))];
    if (day.terms == nullptr || day.version->exclusion_for(service, row->day, row->tags) != nullptr) {
      continue;
    }
    prior += row->quantity;
  }
  return prior;
}

}  // namespace

ServiceWindow service_window(const Group& group, const std::string& service, Month month, const MonthVersions& versions,
                             const std::vector<DayTerms>& month_days, std::span<const DailyVolume* const> history) {
  ServiceWindow window;
  window.yearly = versions.per == model::Window::year;
  window.range = window.yearly ? year_window(group, month) : month.range();
  window.days = window.yearly ? day_terms(group, service, window.range) : month_days;
  window.last_billing_month = window.yearly ? std::min(Month::of(window.range.to), Month::of(group.span.to)) : month;
  window.lower = effective_limit(window.days, service, LimitKind::lower);
  window.upper = effective_limit(window.days, service, LimitKind::upper);
  if (window.yearly) {
    window.prior = prior_units(window, service, month.first_day(), history);
  }
  return window;
}

}  // namespace costcover::rating::detail
