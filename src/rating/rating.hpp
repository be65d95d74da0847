// Rating: one agency's month of counted volumes, rated under its agreement versions and
// the price lists, into invoice lines and findings. Pure: no database, clock or files.
//
// Invariants rate() checks before returning (InvariantError otherwise):
// - every priced line (usage, over_limit, true_up) has amount == quantity x unit_price
//   rounded half away from zero to the cent; every other line has quantity 1 and
//   unit_price == amount;
// - every unit of every daily volume row of the month that an agreement covers is on
//   exactly one usage or over_limit line (excluded units on a zero-priced usage line).
// The rules, and every decision taken where the formats are silent: docs/rating.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "core/money.hpp"
#include "model/line_kind.hpp"
#include "model/model.hpp"

namespace costcover::rating {

// One row of table daily_volume: the delivered (not cancelled) transactions of one
// agency, service, day and tag set with one processing time.
struct DailyVolume {
  std::int64_t id = 0;  // lineage: daily_volume.id (0 in pure tests)
  std::string service;
  Date day;                       // Helsinki local date of delivered_at
  std::vector<std::string> tags;  // the transactions' tags, sorted (a group per distinct tag set)
  int business_days = 0;          // processing time of these transactions (Finnish business days)
  std::int64_t transactions = 0;  // delivered (not cancelled) transactions in this group
  std::int64_t quantity = 0;      // their summed quantity (billed units)
};

// Invoice line kinds (model/line_kind.hpp): rating makes usage, over_limit, true_up,
// sla_credit, fee and charge.
using model::LineKind;

// How many units of one daily_volume row went into a line.
struct VolumeShare {
  std::int64_t daily_volume_id = 0;
  std::int64_t quantity = 0;
  bool operator==(const VolumeShare&) const = default;
};

struct InvoiceLine {
  LineKind kind = LineKind::usage;
  std::string service;      // fees and charges: the service they pay for
  std::string description;  // names the rule; an exception's id and reason when one applied
  std::int64_t quantity = 0;
  Decimal unit_price;    // euros; at most 4 decimals
  Decimal exact_amount;  // before rounding, at 6 decimals (exact for priced lines)
  Money amount;          // rounded half away from zero, to the cent
  std::string agreement_id;
  int agreement_version = 0;
  // What set the price: "list 2027", "agreement", "tier 2", "over_limit",
  // "exception EX-3", "fee base-fee", "credit_percent 5".
  std::string price_source;
  std::string exception_id;          // the exception that produced or bent the line, if any
  DateRange days;                    // the days of the month the line covers
  model::Vat vat;                    // the catalog service's VAT
  std::vector<VolumeShare> sources;  // usage and over_limit lines: the rows they rate
};

enum class FindingKind {
  over_limit_billed,     // units above upper_limit billed at over_limit.unit_price
  over_limit_flagged,    // units above upper_limit billed normally (over_limit: flag)
  limits_suspended,      // a limits_suspended exception changed an over-limit or true-up
  true_up,               // window volume below lower_limit: a true_up line
  excluded,              // an exclude exception took units out of billing
  price_exception,       // a price exception priced units
  deadline_met,          // a performance target measured and met
  deadline_missed,       // ... and missed (with or without a credit)
  deadline_waived,       // an sla_waiver took transactions out of the measurement
  targets_not_in_force,  // the window's volume is above upper_limit: no target measured, no credit
  charge,                // a one-off charge billed
  charge_not_billed,     // a charge dated in the month that the version in force does not list
  unbilled_volume,       // volumes no agreement in force covers
};
[[nodiscard]] std::string to_string(FindingKind kind);

// Something the account manager or the finance office should see; never an error.
struct RatingFinding {
  FindingKind kind = FindingKind::unbilled_volume;
  std::string agreement_id;
  int agreement_version = 0;
  std::string service;
  std::string exception_id;
  std::int64_t quantity = 0;  // the units concerned (over by, excluded, waived, unbilled)
  std::string message;        // "purchase-invoice: upper_limit 2000 exceeded by 140, flagged"
};

// How a performance target stands in a month (the compliance report's target_status).
enum class TargetStatus {
  met,           // measured, met / measured at or above target_share
  missed,        // measured, below it (a credit line when credit_percent and something to credit)
  waived,        // every transaction of the target's days taken out by sla_waiver exceptions
  not_in_force,  // the window's billable volume is above upper_limit: nothing measured
};
[[nodiscard]] std::string to_string(TargetStatus status);

// One performance target of one (agreement, service) in the month. A target whose days had
// no delivered transaction has no result.
struct TargetResult {
  std::string agreement_id;
  int agreement_version = 0;  // the last version in the month carrying the target
  std::string service;
  model::PerformanceTarget target;
  TargetStatus status = TargetStatus::met;
  std::int64_t transactions = 0;  // delivered on days with a version carrying the target
  std::int64_t measured = 0;      // of them, measured against it (0 when not in force)
  std::int64_t within = 0;        // of those, within max_business_days
  std::int64_t waived = 0;        // taken out of the measurement by sla_waiver exceptions
  std::string exception_id;       // the first waiver that took transactions out, if any
  Money credit;                   // the sla_credit line's amount (negative), zero without one
};

// Views of data the caller owns for the duration of rate().
struct RatingInput {
  std::string agency;
  Month month{2000, 1};
  const model::Catalog* catalog = nullptr;        // required
  std::span<const model::Agreement> agreements;   // every version of the agency's agreements
  std::span<const model::PriceList> price_lists;  // by year, for `price: list`
  std::span<const DailyVolume> volumes;           // the month's rows (days outside it: error)
  // Rows of earlier days of `per: year` windows, from history_from() to the day before
  // the month (extra rows are ignored). Exclusions are applied to them again.
  std::span<const DailyVolume> history;
  std::string language = "en";  // of the service names in descriptions
};

struct RatingResult {
  std::vector<InvoiceLine> lines;  // in invoice order
  std::vector<RatingFinding> findings;
  std::vector<TargetResult> targets;  // by service month, then target, in the order rated
  [[nodiscard]] Money total() const;
};

// Rates one agency's month. Input problems (a list price missing for a year, a service
// not in the catalog, two agreements covering one service on one day, a unit above the
// last tier) are collected and thrown together as InputError.
[[nodiscard]] RatingResult rate(const RatingInput& input);

// The first day whose volumes rate() needs in RatingInput::history for `month`: the
// start of the earliest `per: year` window the month belongs to, or the month's first
// day when no service is rated over a year.
[[nodiscard]] Date history_from(std::span<const model::Agreement> agreements, Month month);

}  // namespace costcover::rating
