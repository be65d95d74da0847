// Table-driven tests of the rating rules (docs/rating.md). Each case builds agreement
// values in C++ (no YAML), rates one month and compares every line, written as
//   "kind service quantity x unit_price = amount [price source] exception vN"
// (vN only for versions other than 1), and the kinds of the findings, in order. Expected
// amounts are computed by hand in the comments.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "rating/rating.hpp"

namespace costcover::rating {
namespace {

namespace c = model;

Date day(std::string_view text) { return parse_date(text); }
Decimal dec(std::string_view text) { return Decimal::parse(text); }
Money eur(std::string_view text) { return Money::parse(text); }

c::Catalog catalog() {
  c::Catalog catalog;
  catalog.provider.id = "PK";
  auto service = [](std::string id, std::string name, c::Vat vat) {
    c::Service s;
    s.id = std::move(id);
    s.name = {{"fi", name + " (fi)"}, {"en", std::move(name)}};
    s.unit = "unit";
    s.vat = std::move(vat);
    return s;
  };
  catalog.services.push_back(service("purchase-invoice", "Purchase invoice processing", {}));
  catalog.services.push_back(service("payslip", "Payslip", {c::VatCategory::standard, dec("25.5"), ""}));
  catalog.services.push_back(service("travel-claim", "Travel expense claim", {}));
  return catalog;
}

std::vector<c::PriceList> price_lists() {
  c::PriceList y2027;
  y2027.year = 2027;
  y2027.prices = {{"purchase-invoice", dec("4.20")}, {"payslip", dec("11.85")}};
  c::PriceList y2028;
  y2028.year = 2028;
  y2028.prices = {{"purchase-invoice", dec("4.35")}, {"payslip", dec("12.10")}};
  return {y2027, y2028};
}

c::Agreement agreement(std::string_view from, std::string_view to, int version = 1, std::string id = "SA-KTL") {
  c::Agreement a;
  a.id = std::move(id);
  a.version = version;
  a.client = "KTL";
  a.valid = {day(from), day(to)};
  a.billing.buyer_reference = "KTL-17";
  return a;
}

c::ServiceTerms list(std::string service) {
  c::ServiceTerms t;
  t.service = std::move(service);
  t.price.model = c::PriceModel::list;
  return t;
}

c::ServiceTerms unit(std::string service, std::string_view price) {
  c::ServiceTerms t = list(std::move(service));
  t.price.model = c::PriceModel::unit_price;
  t.price.unit_price = dec(price);
  return t;
}

c::ServiceTerms tiers(std::string service, std::vector<std::pair<std::optional<std::int64_t>, std::string_view>> ts) {
  c::ServiceTerms t = list(std::move(service));
  t.price.model = c::PriceModel::tiers;
  for (const auto& [up_to, price] : ts) {
    t.price.tiers.push_back({up_to, dec(price)});
  }
  return t;
}

c::ServiceTerms limits(c::ServiceTerms t, std::optional<std::int64_t> lower, std::optional<std::int64_t> upper,
                       std::optional<std::string_view> over_price = std::nullopt, c::Window per = c::Window::month) {
  t.volume.per = per;
  t.volume.lower_limit = lower;
  t.volume.upper_limit = upper;
  if (over_price) {
    t.volume.over_limit = c::OverLimitMode::price;
    t.volume.over_limit_price = dec(*over_price);
  }
  return t;
}

c::ServiceTerms target(c::ServiceTerms t, int days, std::string_view share, std::optional<std::string_view> credit) {
  c::PerformanceTarget p;
  p.max_business_days = days;
  p.target_share = dec(share);
  if (credit) {
    p.credit_percent = dec(*credit);
  }
  t.performance.push_back(p);
  return t;
}

// A fee paying for `service` (purchase-invoice unless named).
c::Fee fee(std::string id, std::string_view amount, c::FeePer per = c::FeePer::month,
           std::string service = "purchase-invoice") {
  return {std::move(id), std::move(service), eur(amount), per, {}};
}

c::AgreementException exception(c::ExceptionKind kind, std::string id, std::string reason) {
  c::AgreementException e;
  e.kind = kind;
  e.id = std::move(id);
  e.reason = std::move(reason);
  return e;
}

c::AgreementException exclude(std::vector<std::string> services, std::vector<std::string> tags) {
  c::AgreementException e = exception(c::ExceptionKind::exclude, "EX-2", "Rework caused by the provider");
  e.services = std::move(services);
  e.tags = std::move(tags);
  return e;
}

c::AgreementException during(c::AgreementException e, std::string_view from, std::string_view to) {
  e.period = DateRange{day(from), day(to)};
  return e;
}

c::AgreementException special_price(std::string service, std::string_view from, std::string_view to,
                                    std::string_view price) {
  c::AgreementException e = exception(c::ExceptionKind::price, "EX-3", "Payroll system migration");
  e.services = {std::move(service)};
  e.unit_price = dec(price);
  return during(e, from, to);
}

c::AgreementException suspended(std::string_view from, std::string_view to) {
  return during(exception(c::ExceptionKind::limits_suspended, "EX-4", "Agency reorganisation"), from, to);
}

c::AgreementException waiver(std::string_view from, std::string_view to) {
  return during(exception(c::ExceptionKind::sla_waiver, "EX-1", "Year-end closing"), from, to);
}

c::AgreementException waived_tags(std::vector<std::string> tags) {
  c::AgreementException e = exception(c::ExceptionKind::sla_waiver, "EX-1B", "Material delivered late by the client");
  e.tags = std::move(tags);
  return e;
}

c::AgreementException charge(std::string_view date, std::string_view amount) {
  c::AgreementException e = exception(c::ExceptionKind::charge, "EX-5", "Onboarding of the travel expense service");
  e.service = "travel-claim";
  e.date = day(date);
  e.amount = eur(amount);
  return e;
}

DailyVolume vol(std::string service, std::string_view date, std::int64_t quantity, int business_days = 0,
                std::vector<std::string> tags = {}, std::int64_t id = 0) {
  return {id, std::move(service), day(date), std::move(tags), business_days, quantity, quantity};
}

const std::string kPi = "purchase-invoice";
const std::string kPs = "payslip";

struct Case {
  std::string name;
  std::string month = "2027-03";
  std::vector<c::Agreement> agreements;
  std::vector<DailyVolume> volumes;
  std::vector<DailyVolume> history;
  std::vector<std::string> lines;
  std::vector<FindingKind> findings;
  std::string language = "en";  // of the descriptions
};

// The common agreement: 2027, one service with the given terms.
c::Agreement year_2027(std::vector<c::ServiceTerms> services, std::vector<c::Fee> fees = {},
                       std::vector<c::AgreementException> exceptions = {}) {
  c::Agreement a = agreement("2027-01-01", "2027-12-31");
  a.services = std::move(services);
  a.fees = std::move(fees);
  a.exceptions = std::move(exceptions);
  return a;
}

c::Agreement with(c::Agreement a, std::vector<c::ServiceTerms> services, std::vector<c::Fee> fees = {},
                  std::vector<c::AgreementException> exceptions = {}) {
  a.services = std::move(services);
  a.fees = std::move(fees);
  a.exceptions = std::move(exceptions);
  return a;
}

std::vector<Case> cases() {
  using F = FindingKind;
  std::vector<Case> all;
  // --- prices -------------------------------------------------------------------------
  all.push_back({"list_price",
                 "2027-03",
                 {year_2027({list(kPi)})},
                 {vol(kPi, "2027-03-01", 700), vol(kPi, "2027-03-31", 500)},
                 {},
                 // 1200 x 4.20 = 5040.00
                 {"usage purchase-invoice 1200 x 4.2000 = 5040.00 [list 2027]"},
                 {}});
  all.push_back({"agreement_unit_price",
                 "2027-03",
                 {year_2027({unit(kPi, "3.95")})},
                 {vol(kPi, "2027-03-02", 1201)},
                 {},
                 // 1201 x 3.95 = 4743.95
                 {"usage purchase-invoice 1201 x 3.9500 = 4743.95 [agreement]"},
                 {}});
  all.push_back({"zero_volume_no_limits_no_lines", "2027-03", {year_2027({list(kPi)})}, {}, {}, {}, {}});
  all.push_back({"rounding_half_away_from_zero",
                 "2027-03",
                 {year_2027({unit(kPi, "0.0050")})},
                 {vol(kPi, "2027-03-02", 7)},
                 {},
                 // 7 x 0.005 = 0.035 -> 0.04
                 {"usage purchase-invoice 7 x 0.0050 = 0.04 [agreement]"},
                 {}});
  // --- tiers --------------------------------------------------------------------------
  const auto payslip_tiers = [] { return tiers(kPs, {{1000, "11.85"}, {std::nullopt, "10.90"}}); };
  all.push_back({"tier_exactly_at_boundary",
                 "2027-03",
                 {year_2027({payslip_tiers()})},
                 {vol(kPs, "2027-03-05", 1000)},
                 {},
                 // 1000 x 11.85 = 11850.00
                 {"usage payslip 1000 x 11.8500 = 11850.00 [tier 1]"},
                 {}});
  all.push_back({"tier_one_over_boundary",
                 "2027-03",
                 {year_2027({payslip_tiers()})},
                 {vol(kPs, "2027-03-05", 1001)},
                 {},
                 // 1000 x 11.85 = 11850.00; unit 1001 in tier 2: 10.90
                 {"usage payslip 1000 x 11.8500 = 11850.00 [tier 1]", "usage payslip 1 x 10.9000 = 10.90 [tier 2]"},
                 {}});
  all.push_back({"three_tiers_across_days",
                 "2027-03",
                 {year_2027({tiers(kPs, {{100, "2.00"}, {200, "1.50"}, {std::nullopt, "1.00"}})})},
                 {vol(kPs, "2027-03-01", 150), vol(kPs, "2027-03-02", 100)},
                 {},
                 // units 1-100 x 2.00 = 200.00; 101-200 x 1.50 = 150.00; 201-250 x 1.00 = 50.00
                 {"usage payslip 100 x 2.0000 = 200.00 [tier 1]", "usage payslip 100 x 1.5000 = 150.00 [tier 2]",
                  "usage payslip 50 x 1.0000 = 50.00 [tier 3]"},
                 {}});
  // --- lower limit --------------------------------------------------------------------
  all.push_back({"true_up_below_lower_limit",
                 "2027-03",
                 {year_2027({limits(list(kPi), 800, std::nullopt)})},
                 {vol(kPi, "2027-03-10", 650)},
                 {},
                 // 650 x 4.20 = 2730.00; (800 - 650) x 4.20 = 630.00
                 {"usage purchase-invoice 650 x 4.2000 = 2730.00 [list 2027]",
                  "true_up purchase-invoice 150 x 4.2000 = 630.00 [list 2027]"},
                 {F::true_up}});
  all.push_back({"exactly_at_lower_limit",
                 "2027-03",
                 {year_2027({limits(list(kPi), 800, std::nullopt)})},
                 {vol(kPi, "2027-03-10", 800)},
                 {},
                 {"usage purchase-invoice 800 x 4.2000 = 3360.00 [list 2027]"},
                 {}});
  all.push_back({"zero_volume_true_up",
                 "2027-03",
                 {year_2027({limits(list(kPi), 800, std::nullopt)})},
                 {},
                 {},
                 // 800 x 4.20 = 3360.00
                 {"true_up purchase-invoice 800 x 4.2000 = 3360.00 [list 2027]"},
                 {F::true_up}});
  all.push_back({"true_up_at_first_tier_price",
                 "2027-03",
                 {year_2027({limits(payslip_tiers(), 1500, std::nullopt)})},
                 {vol(kPs, "2027-03-03", 1200)},
                 {},
                 // 1000 x 11.85 + 200 x 10.90; true-up 300 at the first unit's price 11.85 = 3555.00
                 {"usage payslip 1000 x 11.8500 = 11850.00 [tier 1]", "usage payslip 200 x 10.9000 = 2180.00 [tier 2]",
                  "true_up payslip 300 x 11.8500 = 3555.00 [tier 1]"},
                 {F::true_up}});
  // --- upper limit --------------------------------------------------------------------
  all.push_back({"over_limit_priced",
                 "2027-03",
                 {year_2027({limits(list(kPi), std::nullopt, 2000, "5.10")})},
                 {vol(kPi, "2027-03-10", 1500), vol(kPi, "2027-03-11", 640)},
                 {},
                 // 2000 x 4.20 = 8400.00; 140 x 5.10 = 714.00
                 {"usage purchase-invoice 2000 x 4.2000 = 8400.00 [list 2027]",
                  "over_limit purchase-invoice 140 x 5.1000 = 714.00 [over_limit]"},
                 {F::over_limit_billed}});
  all.push_back({"exactly_at_upper_limit",
                 "2027-03",
                 {year_2027({limits(list(kPi), std::nullopt, 2000, "5.10")})},
                 {vol(kPi, "2027-03-10", 2000)},
                 {},
                 {"usage purchase-invoice 2000 x 4.2000 = 8400.00 [list 2027]"},
                 {}});
  all.push_back({"one_over_upper_limit",
                 "2027-03",
                 {year_2027({limits(list(kPi), std::nullopt, 2000, "5.10")})},
                 {vol(kPi, "2027-03-10", 2001)},
                 {},
                 {"usage purchase-invoice 2000 x 4.2000 = 8400.00 [list 2027]",
                  "over_limit purchase-invoice 1 x 5.1000 = 5.10 [over_limit]"},
                 {F::over_limit_billed}});
  all.push_back({"over_limit_flagged",
                 "2027-03",
                 {year_2027({limits(list(kPi), std::nullopt, 2000)})},
                 {vol(kPi, "2027-03-10", 2140)},
                 {},
                 // billed normally: 2140 x 4.20 = 8988.00
                 {"usage purchase-invoice 2140 x 4.2000 = 8988.00 [list 2027]"},
                 {F::over_limit_flagged}});
  all.push_back({"over_limit_price_beats_price_exception",
                 "2027-03",
                 {year_2027({limits(list(kPi), std::nullopt, 100, "5.10")}, {},
                            {special_price(kPi, "2027-03-01", "2027-03-31", "3.00")})},
                 {vol(kPi, "2027-03-10", 120)},
                 {},
                 // 100 x 3.00 = 300.00; 20 above the limit at the over-limit price: 20 x 5.10 = 102.00
                 {"usage purchase-invoice 100 x 3.0000 = 300.00 [exception EX-3] EX-3",
                  "over_limit purchase-invoice 20 x 5.1000 = 102.00 [over_limit]"},
                 {F::price_exception, F::over_limit_billed}});
  // --- part months --------------------------------------------------------------------
  all.push_back({"mid_month_start_prorates_limits_and_fee",
                 "2027-03",
                 {with(agreement("2027-03-18", "2027-12-31"), {limits(list(kPi), 800, 2000, "5.10")},
                       {fee("base-fee", "250.00")})},
                 {vol(kPi, "2027-03-10", 5), vol(kPi, "2027-03-20", 1000)},
                 {},
                 // 14 of 31 days: upper 2000 x 14/31 = 903.2 -> 903; lower 800 x 14/31 = 361.3 -> 361.
                 // 903 x 4.20 = 3792.60; 97 x 5.10 = 494.70; fee 250 x 14/31 = 112.903 -> 112.90.
                 // The 5 units of 2027-03-10 are before the agreement: not billed.
                 {"usage purchase-invoice 903 x 4.2000 = 3792.60 [list 2027]",
                  "over_limit purchase-invoice 97 x 5.1000 = 494.70 [over_limit]",
                  "fee purchase-invoice 1 x 112.9000 = 112.90 [fee base-fee]"},
                 {F::unbilled_volume, F::over_limit_billed}});
  all.push_back({"mid_month_start_prorated_true_up",
                 "2027-03",
                 {with(agreement("2027-03-18", "2027-12-31"), {limits(list(kPi), 800, 2000, "5.10")})},
                 {vol(kPi, "2027-03-20", 300)},
                 {},
                 // lower 361 (above); 361 - 300 = 61 x 4.20 = 256.20
                 {"usage purchase-invoice 300 x 4.2000 = 1260.00 [list 2027]",
                  "true_up purchase-invoice 61 x 4.2000 = 256.20 [list 2027]"},
                 {F::true_up}});
  all.push_back({"mid_month_end",
                 "2027-03",
                 {with(agreement("2027-01-01", "2027-03-10"), {limits(list(kPi), 800, std::nullopt)},
                       {fee("base-fee", "250.00")})},
                 {vol(kPi, "2027-03-05", 200)},
                 {},
                 // 10 of 31 days: lower 800 x 10/31 = 258.06 -> 258, 58 x 4.20 = 243.60;
                 // fee 250 x 10/31 = 80.645 -> 80.65 (half away from zero)
                 {"usage purchase-invoice 200 x 4.2000 = 840.00 [list 2027]",
                  "true_up purchase-invoice 58 x 4.2000 = 243.60 [list 2027]",
                  "fee purchase-invoice 1 x 80.6500 = 80.65 [fee base-fee]"},
                 {F::true_up}});
  all.push_back({"one_day_agreement",
                 "2027-03",
                 {with(agreement("2027-03-31", "2027-03-31"), {limits(list(kPi), 800, std::nullopt)},
                       {fee("base-fee", "250.00")})},
                 {vol(kPi, "2027-03-30", 3), vol(kPi, "2027-03-31", 20)},
                 {},
                 // 1 of 31 days: lower 800/31 = 25.8 -> 26, 6 x 4.20 = 25.20; fee 250/31 = 8.06
                 {"usage purchase-invoice 20 x 4.2000 = 84.00 [list 2027]",
                  "true_up purchase-invoice 6 x 4.2000 = 25.20 [list 2027]",
                  "fee purchase-invoice 1 x 8.0600 = 8.06 [fee base-fee]"},
                 {F::unbilled_volume, F::true_up}});
  all.push_back({"leap_february",
                 "2028-02",
                 {with(agreement("2028-02-15", "2028-12-31"), {limits(list(kPi), 580, std::nullopt)},
                       {fee("base-fee", "290.00")})},
                 {},
                 {},
                 // 15 of 29 days: lower 580 x 15/29 = 300, 300 x 4.35 (list 2028) = 1305.00;
                 // fee 290 x 15/29 = 150.00
                 {"true_up purchase-invoice 300 x 4.3500 = 1305.00 [list 2028]",
                  "fee purchase-invoice 1 x 150.0000 = 150.00 [fee base-fee]"},
                 {F::true_up}});
  // --- exceptions ---------------------------------------------------------------------
  all.push_back({"exclude_by_tag",
                 "2027-03",
                 {year_2027({list(kPi)}, {}, {exclude({kPi}, {"rework-provider"})})},
                 {vol(kPi, "2027-03-01", 100, 1, {"late-from-client"}),
                  vol(kPi, "2027-03-02", 20, 1, {"late-from-client", "rework-provider"})},
                 {},
                 // excluded units: on a zero-priced line naming EX-2
                 {"usage purchase-invoice 100 x 4.2000 = 420.00 [list 2027]",
                  "usage purchase-invoice 20 x 0.0000 = 0.00 [exception EX-2] EX-2"},
                 {F::excluded}});
  all.push_back({"exclude_does_not_count_toward_lower_limit",
                 "2027-03",
                 {year_2027({limits(list(kPi), 110, std::nullopt)}, {}, {exclude({}, {"rework-provider"})})},
                 {vol(kPi, "2027-03-01", 100), vol(kPi, "2027-03-02", 20, 1, {"rework-provider"})},
                 {},
                 // billable 100 < 110: 10 x 4.20 = 42.00
                 {"usage purchase-invoice 100 x 4.2000 = 420.00 [list 2027]",
                  "usage purchase-invoice 20 x 0.0000 = 0.00 [exception EX-2] EX-2",
                  "true_up purchase-invoice 10 x 4.2000 = 42.00 [list 2027]"},
                 {F::excluded, F::true_up}});
  all.push_back(
      {"exclude_does_not_count_toward_tiers",
       "2027-03",
       {year_2027({payslip_tiers()}, {}, {exclude({kPs}, {"rework-provider"})})},
       {vol(kPs, "2027-03-01", 999), vol(kPs, "2027-03-02", 5, 0, {"rework-provider"}), vol(kPs, "2027-03-03", 2)},
       {},
       // positions 1-999, then 1000 (tier 1) and 1001 (tier 2); the 5 excluded hold none
       {"usage payslip 1000 x 11.8500 = 11850.00 [tier 1]", "usage payslip 5 x 0.0000 = 0.00 [exception EX-2] EX-2",
        "usage payslip 1 x 10.9000 = 10.90 [tier 2]"},
       {F::excluded}});
  all.push_back({"price_exception_counts_toward_tiers",
                 "2027-03",
                 {year_2027({payslip_tiers()}, {}, {special_price(kPs, "2027-03-01", "2027-03-15", "9.00")})},
                 {vol(kPs, "2027-03-10", 800), vol(kPs, "2027-03-20", 400)},
                 {},
                 // 800 x 9.00 = 7200.00 (units 1-800); units 801-1000 x 11.85 = 2370.00;
                 // 1001-1200 x 10.90 = 2180.00
                 {"usage payslip 800 x 9.0000 = 7200.00 [exception EX-3] EX-3",
                  "usage payslip 200 x 11.8500 = 2370.00 [tier 1]", "usage payslip 200 x 10.9000 = 2180.00 [tier 2]"},
                 {F::price_exception}});
  all.push_back({"price_exception_counts_toward_lower_limit",
                 "2027-03",
                 {year_2027({limits(list(kPi), 1000, std::nullopt)}, {},
                            {special_price(kPi, "2027-03-01", "2027-03-31", "3.00")})},
                 {vol(kPi, "2027-03-10", 900)},
                 {},
                 // 900 x 3.00 = 2700.00; true-up 100 at the list price (not the exception) = 420.00
                 {"usage purchase-invoice 900 x 3.0000 = 2700.00 [exception EX-3] EX-3",
                  "true_up purchase-invoice 100 x 4.2000 = 420.00 [list 2027]"},
                 {F::price_exception, F::true_up}});
  all.push_back(
      {"limits_suspended_partly_over_upper",
       "2027-03",
       {year_2027({limits(list(kPi), std::nullopt, 2000, "5.10")}, {}, {suspended("2027-03-01", "2027-03-15")})},
       {vol(kPi, "2027-03-10", 2100), vol(kPi, "2027-03-20", 50)},
       {},
       // units 2001-2100 delivered while suspended: normal price on their own line;
       // units 2101-2150 after the suspension: 50 x 5.10 = 255.00
       {"usage purchase-invoice 2000 x 4.2000 = 8400.00 [list 2027]",
        "usage purchase-invoice 100 x 4.2000 = 420.00 [list 2027] EX-4",
        "over_limit purchase-invoice 50 x 5.1000 = 255.00 [over_limit]"},
       {F::over_limit_billed, F::limits_suspended}});
  all.push_back({"limits_suspended_partly_reduces_true_up",
                 "2027-03",
                 {year_2027({limits(list(kPi), 800, std::nullopt)}, {}, {suspended("2027-03-01", "2027-03-15")})},
                 {vol(kPi, "2027-03-20", 300)},
                 {},
                 // 16 of 31 days not suspended: 800 x 16/31 = 412.9 -> 413; 113 x 4.20 = 474.60
                 {"usage purchase-invoice 300 x 4.2000 = 1260.00 [list 2027]",
                  "true_up purchase-invoice 113 x 4.2000 = 474.60 [list 2027] EX-4"},
                 {F::true_up}});
  all.push_back({"limits_suspended_whole_month_no_true_up",
                 "2027-03",
                 {year_2027({limits(list(kPi), 800, std::nullopt)}, {}, {suspended("2027-02-01", "2027-04-30")})},
                 {vol(kPi, "2027-03-20", 300)},
                 {},
                 {"usage purchase-invoice 300 x 4.2000 = 1260.00 [list 2027]"},
                 {F::limits_suspended}});
  all.push_back({"charge_in_its_month_only",
                 "2027-03",
                 {year_2027({list(kPi)}, {fee("base-fee", "250.00")},
                            {charge("2027-03-05", "1800.00"),
                             [] {
                               auto e = charge("2027-04-01", "99.00");
                               e.id = "EX-6";
                               return e;
                             }()})},
                 {},
                 {},
                 {"fee purchase-invoice 1 x 250.0000 = 250.00 [fee base-fee]",
                  "charge travel-claim 1 x 1800.0000 = 1800.00 [exception EX-5] EX-5"},
                 {F::charge}});
  // --- performance --------------------------------------------------------------------
  all.push_back({"deadline_missed_credit",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")})},
                 {vol(kPi, "2027-03-10", 1000, 3), vol(kPi, "2027-03-11", 60, 7)},
                 {},
                 // 1000/1060 = 94.34 % < 95 %: 1060 x 4.20 = 4452.00; -5 % = -222.60
                 {"usage purchase-invoice 1060 x 4.2000 = 4452.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -222.6000 = -222.60 [credit_percent 5]"},
                 {F::deadline_missed}});
  all.push_back({"deadline_exactly_at_target",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")})},
                 {vol(kPi, "2027-03-10", 950, 5), vol(kPi, "2027-03-11", 50, 6)},
                 {},
                 // 950/1000 = 95 %, not below the target
                 {"usage purchase-invoice 1000 x 4.2000 = 4200.00 [list 2027]"},
                 {F::deadline_met}});
  all.push_back({"deadline_missed_without_credit",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", std::nullopt)})},
                 {vol(kPi, "2027-03-11", 10, 6)},
                 {},
                 {"usage purchase-invoice 10 x 4.2000 = 42.00 [list 2027]"},
                 {F::deadline_missed}});
  all.push_back({"waiver_with_credit",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")}, {}, {waiver("2027-03-25", "2027-03-31")})},
                 {vol(kPi, "2027-03-10", 900, 2), vol(kPi, "2027-03-12", 100, 9), vol(kPi, "2027-03-26", 200, 12)},
                 {},
                 // measured 1000 (200 waived), met 900 = 90 %: 1200 x 4.20 = 5040.00; 5 % = 252.00
                 {"usage purchase-invoice 1200 x 4.2000 = 5040.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -252.0000 = -252.00 [credit_percent 5] EX-1"},
                 {F::deadline_waived, F::deadline_missed}});
  all.push_back({"waiver_saves_target",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")}, {}, {waiver("2027-03-25", "2027-03-31")})},
                 {vol(kPi, "2027-03-10", 950, 2), vol(kPi, "2027-03-26", 100, 12)},
                 {},
                 {"usage purchase-invoice 1050 x 4.2000 = 4410.00 [list 2027]"},
                 {F::deadline_waived, F::deadline_met}});
  all.push_back({"excluded_still_measured",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")}, {}, {exclude({kPi}, {"rework-provider"})})},
                 {vol(kPi, "2027-03-10", 950, 2), vol(kPi, "2027-03-11", 100, 9, {"rework-provider"})},
                 {},
                 // measured 1050, met 950 = 90.48 %: credit 5 % of 950 x 4.20 = 3990.00 -> 199.50
                 {"usage purchase-invoice 950 x 4.2000 = 3990.00 [list 2027]",
                  "usage purchase-invoice 100 x 0.0000 = 0.00 [exception EX-2] EX-2",
                  "sla_credit purchase-invoice 1 x -199.5000 = -199.50 [credit_percent 5]"},
                 {F::excluded, F::deadline_missed}});
  all.push_back({"credit_on_usage_and_true_up",
                 "2027-03",
                 {year_2027({target(limits(list(kPi), 800, 1000, "5.10"), 5, "0.95", "10")})},
                 {vol(kPi, "2027-03-10", 500, 9)},
                 {},
                 // 500 x 4.20 = 2100.00 + true-up 300 x 4.20 = 1260.00; 10 % of 3360.00 = 336.00
                 {"usage purchase-invoice 500 x 4.2000 = 2100.00 [list 2027]",
                  "true_up purchase-invoice 300 x 4.2000 = 1260.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -336.0000 = -336.00 [credit_percent 10]"},
                 {F::true_up, F::deadline_missed}});
  // --- performance within the boundary conditions ----------------------------------------
  all.push_back({"over_limit_priced_targets_not_in_force",
                 "2027-03",
                 {year_2027({target(limits(list(kPi), std::nullopt, 1000, "5.10"), 5, "0.95", "10")})},
                 {vol(kPi, "2027-03-10", 1100, 9)},
                 {},
                 // 1100 > 1000: no target in force, so no credit though 0 of 1100 met the deadline
                 {"usage purchase-invoice 1000 x 4.2000 = 4200.00 [list 2027]",
                  "over_limit purchase-invoice 100 x 5.1000 = 510.00 [over_limit]"},
                 {F::over_limit_billed, F::targets_not_in_force}});
  all.push_back({"over_limit_flagged_targets_not_in_force",
                 "2027-03",
                 {year_2027({target(limits(list(kPi), std::nullopt, 1000), 5, "0.95", "10")})},
                 {vol(kPi, "2027-03-10", 1001, 9)},
                 {},
                 // flag bills unit 1001 at the normal price, but it is still above the limit
                 {"usage purchase-invoice 1001 x 4.2000 = 4204.20 [list 2027]"},
                 {F::over_limit_flagged, F::targets_not_in_force}});
  all.push_back({"exactly_at_upper_limit_targets_in_force",
                 "2027-03",
                 {year_2027({target(limits(list(kPi), std::nullopt, 1000), 5, "0.95", "10")})},
                 {vol(kPi, "2027-03-10", 1000, 9)},
                 {},
                 // 1000 = the limit, within it: 10 % of 4200.00 = 420.00
                 {"usage purchase-invoice 1000 x 4.2000 = 4200.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -420.0000 = -420.00 [credit_percent 10]"},
                 {F::deadline_missed}});
  all.push_back(
      {"prorated_upper_limit_targets_not_in_force",
       "2027-03",
       {with(agreement("2027-03-18", "2027-12-31"), {target(limits(list(kPi), std::nullopt, 2000), 5, "0.95", "10")})},
       {vol(kPi, "2027-03-20", 904, 9)},
       {},
       // 2000 x 14/31 = 903.2 -> 903: unit 904 is above it
       {"usage purchase-invoice 904 x 4.2000 = 3796.80 [list 2027]"},
       {F::over_limit_flagged, F::targets_not_in_force}});
  all.push_back({"over_limit_while_suspended_targets_hold",
                 "2027-03",
                 {year_2027({target(limits(list(kPi), std::nullopt, 1000), 5, "0.95", "10")}, {},
                            {suspended("2027-03-01", "2027-03-31")})},
                 {vol(kPi, "2027-03-10", 1100, 9)},
                 {},
                 // limits suspended: the commitment holds; 10 % of 4200.00 + 420.00 = 462.00
                 {"usage purchase-invoice 1000 x 4.2000 = 4200.00 [list 2027]",
                  "usage purchase-invoice 100 x 4.2000 = 420.00 [list 2027] EX-4",
                  "sla_credit purchase-invoice 1 x -462.0000 = -462.00 [credit_percent 10]"},
                 {F::limits_suspended, F::deadline_missed}});
  const auto yearly_target = [] {
    return target(limits(list(kPi), std::nullopt, 1000, std::nullopt, c::Window::year), 5, "0.95", "5");
  };
  all.push_back({"yearly_window_at_the_limit_targets_in_force",
                 "2027-03",
                 {year_2027({yearly_target()})},
                 {vol(kPi, "2027-03-10", 10, 9)},
                 {vol(kPi, "2027-02-10", 990)},
                 // 990 + 10 = 1000, at the yearly limit: 5 % of 42.00 = 2.10
                 {"usage purchase-invoice 10 x 4.2000 = 42.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -2.1000 = -2.10 [credit_percent 5]"},
                 {F::deadline_missed}});
  all.push_back({"yearly_window_passes_the_limit_this_month",
                 "2027-03",
                 {year_2027({yearly_target()})},
                 {vol(kPi, "2027-03-10", 11, 9)},
                 {vol(kPi, "2027-02-10", 990)},
                 // 990 + 11 = 1001: the whole month is out of the commitment
                 {"usage purchase-invoice 11 x 4.2000 = 46.20 [list 2027]"},
                 {F::over_limit_flagged, F::targets_not_in_force}});
  all.push_back({"yearly_window_passed_before",
                 "2027-04",
                 {year_2027({yearly_target()})},
                 {vol(kPi, "2027-04-12", 5, 9)},
                 {vol(kPi, "2027-02-10", 990), vol(kPi, "2027-03-10", 11)},
                 // 1001 before April: April's targets are not in force either
                 {"usage purchase-invoice 5 x 4.2000 = 21.00 [list 2027]"},
                 {F::over_limit_flagged, F::targets_not_in_force}});
  // --- waivers by tag -------------------------------------------------------------------
  all.push_back({"tag_waiver_saves_target",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")}, {}, {waived_tags({"late-from-client"})})},
                 {vol(kPi, "2027-03-10", 950, 2), vol(kPi, "2027-03-11", 100, 9, {"late-from-client"})},
                 {},
                 // measured 950 (100 tagged left out), all met; the tagged ones are billed: 1050 x 4.20
                 {"usage purchase-invoice 1050 x 4.2000 = 4410.00 [list 2027]"},
                 {F::deadline_waived, F::deadline_met}});
  all.push_back({"tag_waiver_measures_untagged_late_work",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")}, {}, {waived_tags({"late-from-client"})})},
                 {vol(kPi, "2027-03-10", 900, 2), vol(kPi, "2027-03-11", 100, 9),
                  vol(kPi, "2027-03-12", 200, 9, {"late-from-client", "rework-provider"})},
                 {},
                 // measured 1000 (200 waived), met 900 = 90 %: 1200 x 4.20 = 5040.00; 5 % = 252.00
                 {"usage purchase-invoice 1200 x 4.2000 = 5040.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -252.0000 = -252.00 [credit_percent 5] EX-1B"},
                 {F::deadline_waived, F::deadline_missed}});
  all.push_back({"tag_and_period_waiver",
                 "2027-03",
                 {year_2027({target(list(kPi), 5, "0.95", "5")}, {},
                            {during(waived_tags({"late-from-client"}), "2027-03-25", "2027-03-31")})},
                 {vol(kPi, "2027-03-10", 900, 2), vol(kPi, "2027-03-12", 100, 9, {"late-from-client"}),
                  vol(kPi, "2027-03-26", 200, 9, {"late-from-client"}), vol(kPi, "2027-03-27", 50, 9)},
                 {},
                 // waived: the 200 tagged in the period; measured 900 + 100 + 50 = 1050, met 900 =
                 // 85.71 %: 1250 x 4.20 = 5250.00; 5 % = 262.50
                 {"usage purchase-invoice 1250 x 4.2000 = 5250.00 [list 2027]",
                  "sla_credit purchase-invoice 1 x -262.5000 = -262.50 [credit_percent 5] EX-1B"},
                 {F::deadline_waived, F::deadline_missed}});
  all.push_back({"credit_rounds_to_the_cent",
                 "2027-03",
                 {year_2027({target(unit(kPi, "3.33"), 5, "0.95", "2.5")})},
                 {vol(kPi, "2027-03-10", 3, 9)},
                 {},
                 // 3 x 3.33 = 9.99; 2.5 % = 0.24975 -> 0.25
                 {"usage purchase-invoice 3 x 3.3300 = 9.99 [agreement]",
                  "sla_credit purchase-invoice 1 x -0.2500 = -0.25 [credit_percent 2.5]"},
                 {F::deadline_missed}});
  // --- two versions in one month ------------------------------------------------------
  all.push_back({"two_versions_split_by_days",
                 "2027-03",
                 {with(agreement("2027-01-01", "2027-12-31", 1), {limits(unit(kPi, "4.00"), 800, std::nullopt)},
                       {fee("base-fee", "250.00")}),
                  with(agreement("2027-03-15", "2027-12-31", 2), {limits(unit(kPi, "4.50"), 800, std::nullopt)},
                       {fee("base-fee", "300.00")})},
                 {vol(kPi, "2027-03-10", 300), vol(kPi, "2027-03-20", 400)},
                 {},
                 // v1 days 1-14, v2 days 15-31. lower 800 x 14/31 + 800 x 17/31 = 800;
                 // 300 x 4.00 = 1200.00 (v1); 400 x 4.50 = 1800.00 (v2);
                 // true-up 100 at the window's first unit's price (v1, 4.00) = 400.00;
                 // fees 250 x 14/31 = 112.90 (v1), 300 x 17/31 = 164.516 -> 164.52 (v2)
                 {"usage purchase-invoice 300 x 4.0000 = 1200.00 [agreement]",
                  "usage purchase-invoice 400 x 4.5000 = 1800.00 [agreement] v2",
                  "true_up purchase-invoice 100 x 4.0000 = 400.00 [agreement] v2",
                  "fee purchase-invoice 1 x 112.9000 = 112.90 [fee base-fee]",
                  "fee purchase-invoice 1 x 164.5200 = 164.52 [fee base-fee] v2"},
                 {F::true_up}});
  all.push_back({"two_versions_unchanged_fee_one_line",
                 "2027-03",
                 {with(agreement("2027-01-01", "2027-12-31", 1), {list(kPi)}, {fee("base-fee", "250.00")}),
                  with(agreement("2027-03-15", "2027-12-31", 2), {list(kPi)}, {fee("base-fee", "250.00")})},
                 {},
                 {},
                 {"fee purchase-invoice 1 x 250.0000 = 250.00 [fee base-fee] v2"},
                 {}});
  all.push_back({"two_versions_limit_changes",
                 "2027-03",
                 {with(agreement("2027-01-01", "2027-12-31", 1), {limits(list(kPi), std::nullopt, 1000, "5.10")}),
                  with(agreement("2027-03-17", "2027-12-31", 2), {limits(list(kPi), std::nullopt, 2000, "6.00")})},
                 {vol(kPi, "2027-03-10", 900), vol(kPi, "2027-03-20", 700)},
                 {},
                 // upper 1000 x 16/31 + 2000 x 15/31 = 1483.9 -> 1484. v1: 900 units;
                 // v2: units 901-1484 (584) at list, 1485-1600 (116) over at v2's 6.00 = 696.00
                 {"usage purchase-invoice 900 x 4.2000 = 3780.00 [list 2027]",
                  "usage purchase-invoice 584 x 4.2000 = 2452.80 [list 2027] v2",
                  "over_limit purchase-invoice 116 x 6.0000 = 696.00 [over_limit] v2"},
                 {F::over_limit_billed}});
  all.push_back({"amendment_adds_service_mid_month",
                 "2027-03",
                 {with(agreement("2027-01-01", "2027-12-31", 1), {list(kPi)}),
                  with(agreement("2027-03-17", "2027-12-31", 2), {list(kPi), limits(list(kPs), 310, std::nullopt)})},
                 {vol(kPi, "2027-03-10", 100)},
                 {},
                 // payslip from day 17: lower 310 x 15/31 = 150; 150 x 11.85 = 1777.50
                 {"usage purchase-invoice 100 x 4.2000 = 420.00 [list 2027]",
                  "true_up payslip 150 x 11.8500 = 1777.50 [list 2027] v2"},
                 {F::true_up}});
  all.push_back({"charge_dropped_by_amendment_not_billed",
                 "2027-03",
                 {with(agreement("2027-01-01", "2027-12-31", 1), {list(kPi)}, {}, {charge("2027-03-20", "1800.00")}),
                  with(agreement("2027-03-15", "2027-12-31", 2), {list(kPi)})},
                 {},
                 {},
                 {},
                 {F::charge_not_billed}});
  all.push_back(
      {"two_agreements_for_different_services",
       "2027-03",
       {with(agreement("2027-01-01", "2027-12-31", 1, "SA-HR"), {list(kPs)}),
        with(agreement("2027-01-01", "2027-12-31", 1, "SA-FIN"), {list(kPi)})},
       {vol(kPs, "2027-03-01", 2), vol(kPi, "2027-03-01", 3)},
       {},
       // catalog order, whatever the agreements' order
       {"usage purchase-invoice 3 x 4.2000 = 12.60 [list 2027]", "usage payslip 2 x 11.8500 = 23.70 [list 2027]"},
       {}});
  // --- year windows -------------------------------------------------------------------
  all.push_back({"yearly_true_up_on_last_month",
                 "2027-12",
                 {year_2027({limits(unit(kPi, "4.00"), 12000, 15000, "5.10", c::Window::year)})},
                 {vol(kPi, "2027-12-10", 1000)},
                 {vol(kPi, "2027-01-15", 6000), vol(kPi, "2027-11-15", 4500)},
                 // year 10500 + 1000 = 11500 < 12000: 500 x 4.00 = 2000.00
                 {"usage purchase-invoice 1000 x 4.0000 = 4000.00 [agreement]",
                  "true_up purchase-invoice 500 x 4.0000 = 2000.00 [agreement]"},
                 {F::true_up}});
  all.push_back({"yearly_window_clipped_by_agreement_end",
                 "2027-12",
                 {with(agreement("2027-04-01", "2027-12-31"),
                       {limits(unit(kPi, "4.00"), 9000, std::nullopt, std::nullopt, c::Window::year)})},
                 {vol(kPi, "2027-12-10", 1000)},
                 {vol(kPi, "2027-05-01", 5000)},
                 // window 2027-04..2028-03 (366 days), 275 in force: 9000 x 275/366 = 6762.3 -> 6762;
                 // the agreement ends in December, so the true-up is billed now: 762 x 4.00 = 3048.00
                 {"usage purchase-invoice 1000 x 4.0000 = 4000.00 [agreement]",
                  "true_up purchase-invoice 762 x 4.0000 = 3048.00 [agreement]"},
                 {F::true_up}});
  all.push_back({"yearly_no_true_up_before_last_month",
                 "2027-06",
                 {year_2027({limits(unit(kPi, "4.00"), 12000, 15000, "5.10", c::Window::year)})},
                 {vol(kPi, "2027-06-10", 10)},
                 {vol(kPi, "2027-01-15", 6000)},
                 {"usage purchase-invoice 10 x 4.0000 = 40.00 [agreement]"},
                 {}});
  all.push_back({"yearly_upper_limit_crossed",
                 "2027-09",
                 {year_2027({limits(unit(kPi, "4.00"), std::nullopt, 15000, "5.10", c::Window::year)})},
                 {vol(kPi, "2027-09-10", 300)},
                 {vol(kPi, "2027-03-15", 14800), vol(kPi, "2026-12-31", 999)},
                 // 14800 before (2026 is outside the window): 200 x 4.00 = 800.00; 100 x 5.10 = 510.00
                 {"usage purchase-invoice 200 x 4.0000 = 800.00 [agreement]",
                  "over_limit purchase-invoice 100 x 5.1000 = 510.00 [over_limit]"},
                 {F::over_limit_billed}});
  all.push_back({"yearly_tiers_continue_from_history",
                 "2027-05",
                 {year_2027({limits(payslip_tiers(), std::nullopt, std::nullopt, std::nullopt, c::Window::year)}, {},
                            {exclude({kPs}, {"rework-provider"})})},
                 {vol(kPs, "2027-05-02", 200)},
                 {vol(kPs, "2027-02-01", 900), vol(kPs, "2027-03-01", 300, 0, {"rework-provider"})},
                 // history 900 (the 300 excluded do not count): 100 x 11.85 + 100 x 10.90
                 {"usage payslip 100 x 11.8500 = 1185.00 [tier 1]", "usage payslip 100 x 10.9000 = 1090.00 [tier 2]"},
                 {}});
  all.push_back({"yearly_fee_on_first_month",
                 "2027-01",
                 {year_2027({list(kPi)}, {fee("licence", "1200.00", c::FeePer::year)})},
                 {},
                 {},
                 {"fee purchase-invoice 1 x 1200.0000 = 1200.00 [fee licence]"},
                 {}});
  all.push_back({"yearly_fee_not_again",
                 "2027-02",
                 {year_2027({list(kPi)}, {fee("licence", "1200.00", c::FeePer::year)})},
                 {},
                 {},
                 {},
                 {}});
  all.push_back(
      {"yearly_fee_part_year",
       "2027-04",
       {with(agreement("2027-04-01", "2027-12-31"), {list(kPi)}, {fee("licence", "1200.00", c::FeePer::year)})},
       {},
       {},
       // window 2027-04..2028-03 (366 days), in force 275: 1200 x 275/366 = 901.639 -> 901.64
       {"fee purchase-invoice 1 x 901.6400 = 901.64 [fee licence]"},
       {}});
  // --- order, VAT and coverage ----------------------------------------------------------
  all.push_back({"catalog_order_then_kind_then_fees_then_charges",
                 "2027-03",
                 {year_2027({limits(payslip_tiers(), 1500, std::nullopt), limits(list(kPi), std::nullopt, 10, "5.10")},
                            {fee("base-fee", "250.00")}, {charge("2027-03-01", "1800.00")})},
                 {vol(kPs, "2027-03-01", 10), vol(kPi, "2027-03-02", 12)},
                 {},
                 {"usage purchase-invoice 10 x 4.2000 = 42.00 [list 2027]",
                  "over_limit purchase-invoice 2 x 5.1000 = 10.20 [over_limit]",
                  "usage payslip 10 x 11.8500 = 118.50 [tier 1]", "true_up payslip 1490 x 11.8500 = 17656.50 [tier 1]",
                  "fee purchase-invoice 1 x 250.0000 = 250.00 [fee base-fee]",
                  "charge travel-claim 1 x 1800.0000 = 1800.00 [exception EX-5] EX-5"},
                 {F::true_up, F::over_limit_billed, F::charge}});
  all.push_back({"service_without_agreement_unbilled",
                 "2027-03",
                 {year_2027({list(kPi)})},
                 {vol("travel-claim", "2027-03-01", 4)},
                 {},
                 {},
                 {F::unbilled_volume}});
  return all;
}

std::string describe(const InvoiceLine& l) {
  std::string text = to_string(l.kind) + " " + (l.service.empty() ? "-" : l.service) + " " +
                     std::to_string(l.quantity) + " x " + l.unit_price.to_string(4) + " = " + l.amount.to_string() +
                     " [" + l.price_source + "]";
  if (!l.exception_id.empty()) {
    text += " " + l.exception_id;
  }
  if (l.agreement_version != 1) {
    text += " v" + std::to_string(l.agreement_version);
  }
  return text;
}

RatingResult run(const Case& k, const c::Catalog& cat, const std::vector<c::PriceList>& lists) {
  RatingInput input;
  input.agency = "KTL";
  input.month = Month::parse(k.month);
  input.catalog = &cat;
  input.agreements = k.agreements;
  input.price_lists = lists;
  input.volumes = k.volumes;
  input.history = k.history;
  input.language = k.language;
  return rate(input);
}

class RatingRules : public ::testing::TestWithParam<Case> {};

TEST_P(RatingRules, LinesAndFindings) {
  const Case& k = GetParam();
  const c::Catalog cat = catalog();
  const std::vector<c::PriceList> lists = price_lists();
  const RatingResult result = run(k, cat, lists);
  std::vector<std::string> lines;
  Money sum;
  for (const InvoiceLine& l : result.lines) {
    lines.push_back(describe(l));
    sum += l.amount;
  }
  EXPECT_EQ(lines, k.lines);
  std::vector<std::string> findings;
  std::vector<std::string> messages;
  for (const RatingFinding& f : result.findings) {
    findings.push_back(to_string(f.kind));
    messages.push_back(f.message);
  }
  std::vector<std::string> expected;
  for (FindingKind kind : k.findings) {
    expected.push_back(to_string(kind));
  }
  EXPECT_EQ(findings, expected) << ::testing::PrintToString(messages);
  EXPECT_EQ(result.total(), sum);
}

INSTANTIATE_TEST_SUITE_P(Rules, RatingRules, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.name; });

// --- details the table does not show ---------------------------------------------------

RatingResult rate_one(const std::vector<c::Agreement>& agreements, const std::vector<DailyVolume>& volumes,
                      std::string month = "2027-03", std::string language = "en") {
  static const c::Catalog cat = catalog();
  static const std::vector<c::PriceList> lists = price_lists();
  Case k;
  k.month = std::move(month);
  k.language = std::move(language);
  k.agreements = agreements;
  k.volumes = volumes;
  return run(k, cat, lists);
}

TEST(Rating, LineageSplitsRowsAcrossTiers) {
  const auto result = rate_one({year_2027({tiers(kPs, {{100, "2.00"}, {200, "1.50"}, {std::nullopt, "1.00"}})})},
                               {vol(kPs, "2027-03-01", 150, 0, {}, 11), vol(kPs, "2027-03-02", 100, 0, {}, 12)});
  ASSERT_EQ(result.lines.size(), 3U);
  EXPECT_EQ(result.lines[0].sources, (std::vector<VolumeShare>{{11, 100}}));
  EXPECT_EQ(result.lines[1].sources, (std::vector<VolumeShare>{{11, 50}, {12, 50}}));
  EXPECT_EQ(result.lines[2].sources, (std::vector<VolumeShare>{{12, 50}}));
  EXPECT_EQ(result.lines[1].days, (DateRange{day("2027-03-01"), day("2027-03-02")}));
  EXPECT_EQ(result.lines[0].agreement_id, "SA-KTL");
}

TEST(Rating, ExactAmountsAndVat) {
  const auto result = rate_one({with(agreement("2027-03-18", "2027-12-31"), {unit(kPs, "0.0050")},
                                     {fee("base-fee", "250.00", c::FeePer::month, kPs)})},
                               {vol(kPs, "2027-03-20", 7)});
  ASSERT_EQ(result.lines.size(), 2U);
  EXPECT_EQ(result.lines[0].exact_amount.to_string(6), "0.035000");
  EXPECT_EQ(result.lines[0].amount.to_string(), "0.04");
  EXPECT_EQ(result.lines[0].vat.category, c::VatCategory::standard);
  EXPECT_EQ(result.lines[0].vat.rate, dec("25.5"));
  // 250 x 14/31 = 112.903225...
  EXPECT_EQ(result.lines[1].exact_amount.to_string(6), "112.903226");
  EXPECT_EQ(result.lines[1].description, "Fee base-fee, pro-rated 14/31 days (2027-03-18..2027-03-31)");
  // A fee takes the VAT of the service it pays for (payslip: standard rate).
  EXPECT_EQ(result.lines[1].service, kPs);
  EXPECT_EQ(result.lines[1].vat.category, c::VatCategory::standard);
}

// Fees and charges carry the catalog service they pay for, and its VAT: whatever the
// agreement's other services are, and for a service without volumes in the month.
TEST(Rating, FeesAndChargesCarryTheirService) {
  struct FeeCase {
    const char* name;
    std::string fee_service;
    std::string charge_service;
    std::vector<std::string> lines;  // kind service VAT
  };
  const std::vector<FeeCase> cases = {
      // purchase-invoice is O, payslip S 25.5: the fee on payslip is S, the charge on purchase-invoice O
      {"each its own", kPs, kPi, {"fee payslip S", "charge purchase-invoice O"}},
      // travel-claim has no agreement terms and no volumes: it still carries the line
      {"service without volumes", "travel-claim", "travel-claim", {"fee travel-claim O", "charge travel-claim O"}},
  };
  for (const auto& k : cases) {
    c::AgreementException onboarding = charge("2027-03-01", "1800.00");
    onboarding.service = k.charge_service;
    const auto result =
        rate_one({year_2027({list(kPi), tiers(kPs, {{std::nullopt, "11.85"}})},
                            {fee("base-fee", "250.00", c::FeePer::month, k.fee_service)}, {onboarding})},
                 {});
    std::vector<std::string> lines;
    for (const auto& l : result.lines) {
      if (l.kind == LineKind::fee || l.kind == LineKind::charge)
        lines.push_back(to_string(l.kind) + " " + l.service + " " + c::vat_code(l.vat.category));
    }
    EXPECT_EQ(lines, k.lines) << k.name;
    for (const auto& f : result.findings) EXPECT_NE(to_string(f.kind), "vat_defaulted") << k.name;
  }
}

TEST(Rating, FeeForAServiceTheCatalogLacksIsAnInputProblem) {
  try {
    (void)rate_one({year_2027({list(kPi)}, {fee("base-fee", "250.00", c::FeePer::month, "archiving")})}, {});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.findings().size(), 1U);
    EXPECT_EQ(e.findings()[0].message,
              "rating KTL 2027-03: fee base-fee pays for service \"archiving\", which is not in the catalog");
  }
}

TEST(Rating, FindingMessagesNameTheRule) {
  const auto flagged = rate_one({year_2027({limits(list(kPi), std::nullopt, 2000)})}, {vol(kPi, "2027-03-10", 2140)});
  ASSERT_EQ(flagged.findings.size(), 1U);
  EXPECT_EQ(flagged.findings[0].message,
            "purchase-invoice: upper_limit 2000 exceeded by 140, flagged (billed at the normal price)");
  EXPECT_EQ(flagged.findings[0].quantity, 140);

  const auto missed = rate_one({year_2027({target(list(kPi), 5, "0.95", "5")})},
                               {vol(kPi, "2027-03-10", 1000, 3), vol(kPi, "2027-03-11", 60, 7)});
  ASSERT_EQ(missed.findings.size(), 1U);
  EXPECT_EQ(missed.findings[0].message,
            "purchase-invoice: 1000 of 1060 measured transactions (94.34 %) within 5 business days, target 95 %; "
            "credit 5 % = -222.60");
}

// The descriptions are in the agency's language (core/phrases.hpp); findings stay English.
TEST(Rating, FeeDescriptionInTheAgencysLanguage) {
  const std::vector<c::Agreement> agreements{with(agreement("2027-03-18", "2027-12-31"), {unit(kPs, "0.0050")},
                                                  {fee("base-fee", "250.00", c::FeePer::month, kPs)})};
  const std::vector<DailyVolume> volumes{vol(kPs, "2027-03-20", 7)};
  const auto fi = rate_one(agreements, volumes, "2027-03", "fi");
  ASSERT_EQ(fi.lines.size(), 2U);
  EXPECT_EQ(fi.lines[1].description, "Maksu base-fee, suhteutettu 14/31 päivää (2027-03-18..2027-03-31)");
  const auto sv = rate_one(agreements, volumes, "2027-03", "sv");
  ASSERT_EQ(sv.lines.size(), 2U);
  EXPECT_EQ(sv.lines[1].description, "Avgift base-fee, proportionerad 14/31 dagar (2027-03-18..2027-03-31)");
  const auto en = rate_one(agreements, volumes, "2027-03", "en");
  ASSERT_EQ(en.lines.size(), 2U);
  EXPECT_EQ(en.lines[1].description, "Fee base-fee, pro-rated 14/31 days (2027-03-18..2027-03-31)");
  // The amount does not depend on the language.
  EXPECT_EQ(fi.lines[1].amount, en.lines[1].amount);
}

TEST(Rating, SlaCreditDescriptionInTheAgencysLanguage) {
  const std::vector<c::Agreement> agreements{year_2027({target(list(kPi), 5, "0.95", "5")})};
  const std::vector<DailyVolume> volumes{vol(kPi, "2027-03-10", 1000, 3), vol(kPi, "2027-03-11", 60, 7)};
  const auto credit_of = [](const RatingResult& result) {
    for (const auto& line : result.lines) {
      if (line.kind == LineKind::sla_credit) return line.description;
    }
    return std::string("(no sla_credit line)");
  };
  const auto fi = rate_one(agreements, volumes, "2027-03", "fi");
  const auto sv = rate_one(agreements, volumes, "2027-03", "sv");
  const auto en = rate_one(agreements, volumes, "2027-03", "en");
  const std::string base = "4452.00";  // 5 % of it = 222.60, as the finding says
  EXPECT_EQ(credit_of(fi), "Purchase invoice processing (fi), palvelutasohyvitys 5 % summasta " + base +
                               ": 1000 / 1060 mitatusta tapahtumasta (94.34 %) käsitelty 5 työpäivässä, tavoite 95 %");
  // (the catalog names the service in fi and en only: sv takes the first name written)
  EXPECT_EQ(credit_of(sv), "Purchase invoice processing (fi), servicenivågottgörelse 5 % av " + base +
                               ": 1000 av 1060 uppmätta transaktioner (94.34 %) inom 5 arbetsdagar, mål 95 %");
  EXPECT_EQ(credit_of(en), "Purchase invoice processing, performance credit 5 % of " + base +
                               ": 1000 of 1060 measured transactions (94.34 %) within 5 business days, target 95 %");
  // The finding is the worksheet's and stays English.
  ASSERT_EQ(fi.findings.size(), 1U);
  EXPECT_EQ(fi.findings[0].message, en.findings[0].message);
}

TEST(Rating, TargetResultsKeepMeasuredWithinAndStatus) {
  // above the limit: not in force, nothing measured, the finding says why
  const auto over = rate_one({year_2027({target(limits(list(kPi), std::nullopt, 1000), 5, "0.95", "10")})},
                             {vol(kPi, "2027-03-10", 1001, 9)});
  ASSERT_EQ(over.targets.size(), 1U);
  EXPECT_EQ(over.targets[0].status, TargetStatus::not_in_force);
  EXPECT_EQ(to_string(over.targets[0].status), "not_in_force");
  EXPECT_EQ(over.targets[0].transactions, 1001);
  EXPECT_EQ(over.targets[0].measured, 0);
  EXPECT_EQ(over.targets[0].within, 0);
  EXPECT_EQ(over.targets[0].credit, Money());
  ASSERT_EQ(over.findings.size(), 2U);
  EXPECT_EQ(over.findings[1].message,
            "purchase-invoice: performance targets not in force: volume 1001 above upper_limit 1000; 1001 "
            "transactions not measured, no credit");
  EXPECT_EQ(over.findings[1].quantity, 1001);

  // every transaction tagged away: waived, not judged
  const auto waived =
      rate_one({year_2027({target(list(kPi), 5, "0.95", "5")}, {}, {waived_tags({"late-from-client"})})},
               {vol(kPi, "2027-03-11", 3, 9, {"late-from-client"})});
  ASSERT_EQ(waived.targets.size(), 1U);
  EXPECT_EQ(waived.targets[0].status, TargetStatus::waived);
  EXPECT_EQ(waived.targets[0].transactions, 3);
  EXPECT_EQ(waived.targets[0].measured, 0);
  EXPECT_EQ(waived.targets[0].waived, 3);
  EXPECT_EQ(waived.targets[0].exception_id, "EX-1B");
  ASSERT_EQ(waived.findings.size(), 1U);
  EXPECT_EQ(waived.findings[0].message,
            "purchase-invoice: 3 transactions not measured against deadlines (EX-1B: Material delivered late by the "
            "client)");

  // 1000 of 1060 within: missed, credit 5 % of 4452.00 = 222.60
  const auto missed = rate_one({year_2027({target(list(kPi), 5, "0.95", "5")})},
                               {vol(kPi, "2027-03-10", 1000, 3), vol(kPi, "2027-03-11", 60, 7)});
  ASSERT_EQ(missed.targets.size(), 1U);
  EXPECT_EQ(missed.targets[0].status, TargetStatus::missed);
  EXPECT_EQ(missed.targets[0].measured, 1060);
  EXPECT_EQ(missed.targets[0].within, 1000);
  EXPECT_EQ(missed.targets[0].credit, eur("-222.60"));
  EXPECT_EQ(missed.targets[0].target.max_business_days, 5);

  const auto met = rate_one({year_2027({target(list(kPi), 5, "0.95", "5")})}, {vol(kPi, "2027-03-10", 20, 5)});
  ASSERT_EQ(met.targets.size(), 1U);
  EXPECT_EQ(met.targets[0].status, TargetStatus::met);
  EXPECT_EQ(met.targets[0].within, 20);

  // nothing delivered: no result
  EXPECT_TRUE(rate_one({year_2027({target(list(kPi), 5, "0.95", "5")})}, {}).targets.empty());
}

TEST(Rating, DescriptionsCarryExceptionReasons) {
  const auto result = rate_one(
      {year_2027({list(kPi)}, {},
                 {exclude({kPi}, {"rework-provider"}), special_price(kPi, "2027-03-01", "2027-03-31", "3.00")})},
      {vol(kPi, "2027-03-01", 1), vol(kPi, "2027-03-02", 1, 0, {"rework-provider"})});
  ASSERT_EQ(result.lines.size(), 2U);
  EXPECT_EQ(result.lines[0].description, "Purchase invoice processing, special price (EX-3: Payroll system migration)");
  EXPECT_EQ(result.lines[1].description,
            "Purchase invoice processing, not billed (EX-2: Rework caused by the provider)");
}

TEST(Rating, TwoVersionLinesNameTheirDays) {
  const auto result = rate_one({with(agreement("2027-01-01", "2027-12-31", 1), {unit(kPi, "4.00")}),
                                with(agreement("2027-03-15", "2027-12-31", 2), {unit(kPi, "4.50")})},
                               {vol(kPi, "2027-03-10", 1), vol(kPi, "2027-03-20", 1)});
  ASSERT_EQ(result.lines.size(), 2U);
  EXPECT_EQ(result.lines[0].description, "Purchase invoice processing (version 1, 2027-03-01..2027-03-14)");
  EXPECT_EQ(result.lines[1].description, "Purchase invoice processing (version 2, 2027-03-15..2027-03-31)");
  EXPECT_EQ(result.lines[1].agreement_version, 2);
}

TEST(Rating, MissingListPriceIsAnInputError) {
  try {
    (void)rate_one({with(agreement("2029-01-01", "2029-12-31"), {list(kPi)})}, {vol(kPi, "2029-03-10", 1)}, "2029-03");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.findings().size(), 1U);
    EXPECT_EQ(e.findings()[0].message,
              "rating KTL 2029-03: purchase-invoice is priced from the list but price list 2029 is missing");
  }
}

TEST(Rating, ProblemsAreReportedOnceEach) {
  try {
    (void)rate_one({with(agreement("2029-01-01", "2029-12-31"), {list(kPi), list(kPs)})},
                   {vol(kPi, "2029-03-10", 1), vol(kPi, "2029-03-11", 1), vol(kPs, "2029-03-11", 1)}, "2029-03");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.findings().size(), 2U);  // one per service, not one per day
  }
}

TEST(Rating, AgreementOfAnotherClientIsAnInputError) {
  auto other = year_2027({list(kPi)});
  other.client = "XYZ";
  EXPECT_THROW((void)rate_one({other}, {}), InputError);
}

TEST(Rating, TwoAgreementsForOneServiceIsAnInputError) {
  EXPECT_THROW(
      (void)rate_one({year_2027({list(kPi)}), with(agreement("2027-01-01", "2027-12-31", 1, "SA-OTHER"), {list(kPi)})},
                     {}),
      InputError);
}

TEST(Rating, UnitAboveLastTierIsAnInputError) {
  EXPECT_THROW((void)rate_one({year_2027({tiers(kPs, {{100, "2.00"}})})}, {vol(kPs, "2027-03-01", 101)}), InputError);
}

TEST(Rating, HistoryFromStartsTheYearWindow) {
  const std::vector<c::Agreement> yearly = {
      with(agreement("2027-04-10", "2028-12-31"), {limits(list(kPi), 1, std::nullopt, std::nullopt, c::Window::year)})};
  EXPECT_EQ(history_from(yearly, Month(2027, 9)), day("2027-04-01"));
  EXPECT_EQ(history_from(yearly, Month(2028, 5)), day("2028-04-01"));
  const std::vector<c::Agreement> monthly = {year_2027({list(kPi)})};
  EXPECT_EQ(history_from(monthly, Month(2027, 9)), day("2027-09-01"));
}

}  // namespace
}  // namespace costcover::rating
