// The words the billing rules put into invoice line descriptions and credit reasons, in
// the agency's language (agencies.yaml language: fi | sv | en; docs/invoicing.md, "The
// agency's language"). Pure: rating, invoice and costing compose their descriptions with
// it. Ids, invoice numbers, service names and figures are the caller's and are kept as
// given; the table only supplies the words around them.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace costcover {

enum class Phrase {
  // rating: fees
  fee,                  // "Fee {id}"
  fee_pro_rated_range,  // ", pro-rated {days}/{of} days ({range})"
  fee_year,             // "Fee {id}, year {range}"
  fee_pro_rated,        // ", pro-rated {days}/{of} days"
  // rating: usage, limits, tiers
  not_billed,          // "{service}, not billed ({exception})"
  special_price,       // "{service}, special price ({exception})"
  above_limit,         // ", above {limit}"
  limits_suspended,    // ", limits suspended ({exception})"
  tier_range,          // ", tier {n} (units {from} to {to})"
  tier_above,          // ", tier {n} (units above {from})"
  version_days,        // " (version {n}, {range})"
  lower_limit,         // "lower_limit {n}"
  upper_limit,         // "upper_limit {n}"
  yearly_lower_limit,  // "yearly lower_limit {n}"
  yearly_upper_limit,  // "yearly upper_limit {n}"
  limit_written,       // " (written {n})"
  // rating: true-up
  true_up,          // "{service}, true-up to {limit}"
  true_up_reduced,  // ", reduced for {n} days of limits suspended ({exception})"
  billable_volume,  // ", billable volume {n}"
  // rating: performance credits
  sla_credit,    // "{service}, performance credit {percent} % of {base}: {measured}"
  sla_measured,  // "{met} of {measured} measured transactions ({share} %) within {days} business days, target {target}
                 // %"
  sla_not_measured,  // "; not measured: {n} transactions ({exception})"
  // invoice: corrections and credit notes
  correction_priced,         // "Correction to invoice {number} ({period}): {what} {units} at {price}"
  correction_amount,         // "Correction to invoice {number} ({period}): {what} {sign}{amount}"
  unit_one,                  // "unit"
  unit_many,                 // "units"
  credit,                    // "Credit: {description}"
  settlement_credit_reason,  // "Cost-covering settlement of {year}: the surplus returned"
  // costing: the yearly settlement
  settlement_surplus,   // "{service}: settlement of {year}, surplus {amount} returned in proportion to {invoiced}
                        // invoiced of {revenue}"
  settlement_deficit,   // "{service}: settlement of {year}, deficit {amount} charged in proportion to {invoiced}
                        // invoiced of {revenue}"
  settlement_change,    // " (change to the settlement already invoiced)"
  settlement_reversed,  // "{service}: settlement of {year} reversed (the difference is now carried forward)"
};

// Every phrase, for iterating (tests).
inline constexpr int kPhraseCount = static_cast<int>(Phrase::settlement_reversed) + 1;

// The phrase's text in the language (core/language.hpp: fi for an empty or unknown
// code), with {} where its values go (in the order above).
[[nodiscard]] std::string_view phrase(Phrase p, std::string_view language);

// The phrase with its values in place.
template <typename... Args>
[[nodiscard]] std::string phrase(Phrase p, std::string_view language, Args&&... args) {
  return fmt::format(fmt::runtime(phrase(p, language)), std::forward<Args>(args)...);
}

}  // namespace costcover
