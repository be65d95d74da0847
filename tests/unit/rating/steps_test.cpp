// The named steps of rating on their own (src/rating/window.hpp, true_up.hpp,
// sla_credit.hpp, fees.hpp): the year window, the effective limits, the true-up decision,
// a target's share, whether targets are in force, what a waiver takes out of the
// measurement and the runs of a monthly fee. rating_test.cpp checks them together
// through rate(); here each rule's edges are table-driven, the arithmetic in comments.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "rating/fees.hpp"
#include "rating/sla_credit.hpp"
#include "rating/true_up.hpp"
#include "rating/unit_walk.hpp"
#include "rating/window.hpp"

namespace costcover::rating::detail {
namespace {

Date day(const char* text) { return parse_date(text); }

model::Agreement version(int number, const char* from, const char* to) {
  model::Agreement a;
  a.id = "SA-X";
  a.version = number;
  a.client = "X";
  a.valid = {day(from), day(to)};
  return a;
}

model::ServiceTerms limits(std::optional<std::int64_t> lower, std::optional<std::int64_t> upper) {
  model::ServiceTerms terms;
  terms.service = "payslip";
  terms.volume.lower_limit = lower;
  terms.volume.upper_limit = upper;
  return terms;
}

model::AgreementException suspension(const char* from, const char* to) {
  model::AgreementException e;
  e.id = "EX-4";
  e.kind = model::ExceptionKind::limits_suspended;
  e.period = DateRange{day(from), day(to)};
  return e;
}

struct YearWindowCase {
  const char* first_day;  // of the agreement's earliest version
  Month month;
  const char* from;
  const char* to;
};

TEST(YearWindow, TwelveMonthsFromTheAgreementsFirstMonth) {
  const YearWindowCase cases[] = {
      {"2027-01-01", Month(2027, 12), "2027-01-01", "2027-12-31"},  // a calendar year
      {"2027-04-10", Month(2027, 4), "2027-04-01", "2028-03-31"},   // the first month, whole
      {"2027-04-10", Month(2028, 3), "2027-04-01", "2028-03-31"},   // the 12th month
      {"2027-04-10", Month(2028, 4), "2028-04-01", "2029-03-31"},   // the second year
      {"2027-04-10", Month(2027, 3), "2026-04-01", "2027-03-31"},   // before the agreement: the year before
  };
  for (const auto& c : cases) {
    const std::vector<model::Agreement> versions = {version(1, c.first_day, "2030-12-31")};
    const std::vector<Group> groups = group_versions(versions);
    EXPECT_EQ(format_range(year_window(groups.front(), c.month)), std::string(c.from) + ".." + c.to)
        << c.first_day << " " << c.month.to_string();
  }
}

struct LimitCase {
  const char* name;
  std::vector<model::Agreement> versions;
  DateRange window;
  LimitKind kind;
  bool present;
  std::int64_t value;
  std::int64_t unsuspended;
  std::int64_t written;
  long suspended_days;
};

std::vector<LimitCase> limit_cases() {
  auto with = [](model::Agreement a, model::ServiceTerms terms, std::vector<model::AgreementException> ex = {}) {
    a.services = {std::move(terms)};
    a.exceptions = std::move(ex);
    return a;
  };
  const DateRange march{day("2027-03-01"), day("2027-03-31")};
  const DateRange february{day("2027-02-01"), day("2027-02-28")};
  const DateRange year{day("2027-04-01"), day("2028-03-31")};
  return {
      // 1000 x 16 days + 2000 x 15 days = 46000; / 31 = 1483.9 -> 1484; written by the last: 2000
      {"two_versions_split_the_month",
       {with(version(1, "2027-01-01", "2027-12-31"), limits(std::nullopt, 1000)),
        with(version(2, "2027-03-17", "2027-12-31"), limits(std::nullopt, 2000))},
       march,
       LimitKind::upper,
       true,
       1484,
       1484,
       2000,
       0},
      // in force 14 of 31 days: 2000 x 14 / 31 = 903.2 -> 903
      {"mid_month_start",
       {with(version(1, "2027-03-18", "2027-12-31"), limits(std::nullopt, 2000))},
       march,
       LimitKind::upper,
       true,
       903,
       903,
       2000,
       0},
      // 2 x 7 / 28 = 0.5 -> 1: half away from zero
      {"half_rounds_away_from_zero",
       {with(version(1, "2027-02-22", "2027-12-31"), limits(2, std::nullopt))},
       february,
       LimitKind::lower,
       true,
       1,
       1,
       2,
       0},
      // 15 of 31 days suspended: 800 x 16 / 31 = 412.9 -> 413; unsuspended 800
      {"suspended_days_lower_the_lower_limit",
       {with(version(1, "2027-01-01", "2027-12-31"), limits(800, std::nullopt),
             {suspension("2027-03-17", "2027-03-31")})},
       march,
       LimitKind::lower,
       true,
       413,
       800,
       800,
       15},
      // suspensions are day by day for the upper limit: it stays whole
      {"suspension_leaves_the_upper_limit",
       {with(version(1, "2027-01-01", "2027-12-31"), limits(std::nullopt, 800),
             {suspension("2027-03-17", "2027-03-31")})},
       march,
       LimitKind::upper,
       true,
       800,
       800,
       800,
       0},
      // a yearly window of 366 days with 275 in force: 9000 x 275 / 366 = 6762.3 -> 6762
      {"yearly_window_part_in_force",
       {with(version(1, "2027-04-01", "2027-12-31"), limits(9000, std::nullopt))},
       year,
       LimitKind::lower,
       true,
       6762,
       6762,
       9000,
       0},
      {"no_version_writes_it",
       {with(version(1, "2027-01-01", "2027-12-31"), limits(std::nullopt, 2000))},
       march,
       LimitKind::lower,
       false,
       0,
       0,
       0,
       0},
  };
}

TEST(EffectiveLimit, SumOfTheDaysWrittenLimitsOverTheWindowsDays) {
  for (const LimitCase& c : limit_cases()) {
    const std::vector<Group> groups = group_versions(c.versions);
    const EffectiveLimit limit = effective_limit(day_terms(groups.front(), "payslip", c.window), "payslip", c.kind);
    EXPECT_EQ(limit.present, c.present) << c.name;
    EXPECT_EQ(limit.value, c.value) << c.name;
    EXPECT_EQ(limit.unsuspended, c.unsuspended) << c.name;
    EXPECT_EQ(limit.written, c.written) << c.name;
    EXPECT_EQ(limit.suspended_days, c.suspended_days) << c.name;
    EXPECT_EQ(limit.suspended_by != nullptr, c.suspended_days > 0) << c.name;
  }
}

TEST(EffectiveLimit, TextNamesTheWrittenLimitWhenItDiffers) {
  EffectiveLimit whole;
  whole.present = true;
  whole.value = whole.unsuspended = whole.written = 2000;
  EXPECT_EQ(limit_text("upper_limit", whole, false), "upper_limit 2000");
  EXPECT_EQ(limit_text("lower_limit", whole, true), "yearly lower_limit 2000");
  EffectiveLimit prorated = whole;
  prorated.value = prorated.unsuspended = 903;
  EXPECT_EQ(limit_text("upper_limit", prorated, false), "upper_limit 903 (written 2000)");
}

TEST(MonthVersions, TheLastDayWithTermsDecidesPerAndVersion) {
  model::Agreement v1 = version(1, "2027-01-01", "2027-12-31");
  v1.services = {limits(std::nullopt, std::nullopt)};
  model::Agreement v2 = version(2, "2027-03-15", "2027-03-25");
  v2.services = {limits(std::nullopt, std::nullopt)};
  v2.services[0].volume.per = model::Window::year;
  const std::vector<model::Agreement> versions = {v1, v2};
  const std::vector<Group> groups = group_versions(versions);
  const MonthVersions month =
      month_versions(day_terms(groups.front(), "payslip", {day("2027-03-01"), day("2027-03-31")}));
  // v1 on 1-14 and 26-31, v2 on 15-25: the last day is v1's, so per month.
  ASSERT_NE(month.last, nullptr);
  EXPECT_EQ(month.last->version, 1);
  EXPECT_EQ(month.per, model::Window::month);
  ASSERT_EQ(month.days.size(), 2U);
  EXPECT_EQ(format_range(month.days.at(1)), "2027-03-01..2027-03-31");  // first to last day
  EXPECT_EQ(format_range(month.days.at(2)), "2027-03-15..2027-03-25");
}

struct TrueUpCase {
  const char* name;
  bool present;
  std::int64_t value;
  std::int64_t unsuspended;
  bool suspended;  // a limits_suspended exception lowered it
  Month month;
  std::int64_t volume;
  TrueUpOutcome outcome;
  std::int64_t shortfall;
};

TEST(TrueUp, DecisionOnTheWindowsLastMonth) {
  const Month last(2027, 12);
  const TrueUpCase cases[] = {
      {"below", true, 800, 800, false, last, 650, TrueUpOutcome::billed, 150},  // 800 - 650
      {"exactly_at_the_limit", true, 800, 800, false, last, 800, TrueUpOutcome::none, 0},
      {"zero_volume_the_whole_limit", true, 800, 800, false, last, 0, TrueUpOutcome::billed, 800},
      {"not_the_last_month", true, 800, 800, false, Month(2027, 11), 0, TrueUpOutcome::none, 0},
      {"no_lower_limit", false, 0, 0, false, last, 0, TrueUpOutcome::none, 0},
      // 800 reduced to 413 by 15 suspended days: 413 - 300 = 113
      {"reduced_still_below", true, 413, 800, true, last, 300, TrueUpOutcome::billed, 113},
      // above the reduced 413, below 800: the suspension took 800 - 500 = 300 away
      {"reduced_away", true, 413, 800, true, last, 500, TrueUpOutcome::suspended, 300},
      {"reduced_but_reached_anyway", true, 413, 800, true, last, 800, TrueUpOutcome::none, 0},
      // a wholly suspended window: no true-up, 800 taken away
      {"wholly_suspended", true, 0, 800, true, last, 0, TrueUpOutcome::suspended, 800},
  };
  const model::AgreementException ex = suspension("2027-12-01", "2027-12-31");
  for (const auto& c : cases) {
    ServiceWindow window;
    window.last_billing_month = last;
    window.lower.present = c.present;
    window.lower.value = c.value;
    window.lower.unsuspended = c.unsuspended;
    window.lower.suspended_by = c.suspended ? &ex : nullptr;
    const TrueUpDecision decision = decide_true_up(window, c.month, c.volume);
    EXPECT_EQ(decision.outcome, c.outcome) << c.name;
    EXPECT_EQ(decision.shortfall, c.shortfall) << c.name;
    EXPECT_EQ(decision.reduced, c.present && c.month == last && c.suspended) << c.name;
  }
}

struct ShareCase {
  std::int64_t met;
  std::int64_t measured;
  const char* share;  // target_share
  bool missed;
  const char* percent;
};

TEST(SlaCredit, MissedBelowTheShareAndItsPercentText) {
  const ShareCase cases[] = {
      {1000, 1060, "0.95", true, "94.34"},                                 // 94.339... %
      {950, 1000, "0.95", false, "95.00"},                                 // exactly at the target: met
      {949, 1000, "0.95", true, "94.90"},  {2, 3, "0.5", false, "66.67"},  // 66.666... rounds up
      {1, 160, "0.01", true, "0.63"},                                      // 0.625 %: half away from zero
      {0, 5, "0", false, "0.00"},                                          // a target share of 0 is always met
      {7, 7, "1", false, "100.00"},
  };
  for (const auto& c : cases) {
    TargetStat stat;
    stat.target.target_share = Decimal::parse(c.share);
    stat.met = c.met;
    stat.measured = c.measured;
    EXPECT_EQ(target_missed(stat), c.missed) << c.met << "/" << c.measured;
    EXPECT_EQ(percent_text(c.met, c.measured), c.percent) << c.met << "/" << c.measured;
  }
}

struct CommitmentCase {
  const char* name;
  bool upper;  // the window has an upper limit
  std::int64_t value;
  std::int64_t written;
  bool yearly;
  std::int64_t prior;  // billable units of the window before the month
  std::int64_t flagged;
  std::int64_t over_billed;
  std::int64_t suspended_over;
  bool in_force;
  const char* limit;
};

TEST(Commitment, TargetsNotInForceAboveTheUpperLimit) {
  const CommitmentCase cases[] = {
      {"no_upper_limit", false, 0, 0, false, 0, 0, 0, 0, true, ""},
      {"at_the_limit", true, 2000, 2000, false, 0, 0, 0, 0, true, ""},  // 2000 units, none above
      {"one_over_flagged", true, 2000, 2000, false, 0, 1, 0, 0, false, "upper_limit 2000"},
      {"over_priced", true, 2000, 2000, false, 0, 0, 140, 0, false, "upper_limit 2000"},
      // every unit above the limit on a suspended day: the limits are suspended, targets hold
      {"over_only_while_suspended", true, 2000, 2000, false, 0, 0, 0, 140, true, ""},
      {"over_partly_while_suspended", true, 2000, 2000, false, 0, 10, 0, 130, false, "upper_limit 2000"},
      // 2000 x 14/31 = 903: pro-rated as for billing
      {"prorated", true, 903, 2000, false, 0, 97, 0, 0, false, "upper_limit 903 (written 2000)"},
      {"yearly_before_passing", true, 12000, 12000, true, 11000, 0, 0, 0, true, ""},
      {"yearly_passing_this_month", true, 12000, 12000, true, 11000, 500, 0, 0, false, "yearly upper_limit 12000"},
      // passed in an earlier month: out of force even with nothing above this month
      {"yearly_passed_before", true, 12000, 12000, true, 12001, 0, 0, 0, false, "yearly upper_limit 12000"},
      {"yearly_exactly_at_before", true, 12000, 12000, true, 12000, 0, 0, 0, true, ""},
      {"yearly_passed_but_suspended_now", true, 12000, 12000, true, 12001, 0, 0, 40, true, ""},
  };
  for (const auto& c : cases) {
    ServiceWindow window;
    window.yearly = c.yearly;
    window.prior = c.prior;
    window.upper.present = c.upper;
    window.upper.value = window.upper.unsuspended = c.value;
    window.upper.written = c.written;
    WalkTotals walk;
    walk.flagged = c.flagged;
    walk.over_billed = c.over_billed;
    walk.suspended_over = c.suspended_over;
    const Commitment got = commitment(window, c.prior + 1, walk);
    EXPECT_EQ(got.in_force, c.in_force) << c.name;
    EXPECT_EQ(got.limit, c.limit) << c.name;
    EXPECT_EQ(got.volume, c.prior + 1) << c.name;
  }
}

model::AgreementException sla_waiver(std::vector<std::string> tags, std::optional<DateRange> period) {
  model::AgreementException e;
  e.id = "EX-W";
  e.kind = model::ExceptionKind::sla_waiver;
  e.tags = std::move(tags);
  e.period = period;
  return e;
}

struct WaiverCase {
  const char* name;
  model::AgreementException waiver;
  std::int64_t measured;
  std::int64_t met;
  std::int64_t waived;
};

TEST(MeasureTargets, WaiversByPeriodTagsOrBoth) {
  // The month's rows (transactions, business days; target: within 5 days):
  //   03-10 untagged   10 x 2 days    03-12 tagged  4 x 9 days
  //   03-26 untagged    3 x 9 days    03-27 tagged  2 x 9 days
  const DateRange late_march{day("2027-03-25"), day("2027-03-31")};
  const WaiverCase cases[] = {
      // 10 + 4 + 3 + 2 = 19 measured, 10 met
      {"no_waiver_days", sla_waiver({}, DateRange{day("2027-01-01"), day("2027-01-31")}), 19, 10, 0},
      {"period", sla_waiver({}, late_march), 14, 10, 5},                            // 3 + 2 waived
      {"tags", sla_waiver({"late-from-client"}, std::nullopt), 13, 10, 6},          // 4 + 2 waived
      {"tags_in_period", sla_waiver({"late-from-client"}, late_march), 17, 10, 2},  // only 03-27's 2
      {"another_tag", sla_waiver({"year-end"}, std::nullopt), 19, 10, 0},
  };
  for (const auto& c : cases) {
    model::Agreement a = version(1, "2027-01-01", "2027-12-31");
    model::ServiceTerms terms = limits(std::nullopt, std::nullopt);
    terms.performance.push_back({model::Metric::processing_time, 5, Decimal::parse("0.95"), std::nullopt});
    a.services = {terms};
    a.exceptions = {c.waiver};
    const std::vector<model::Agreement> versions = {a};
    const std::vector<Group> groups = group_versions(versions);
    const std::vector<DailyVolume> rows = {
        {1, "payslip", day("2027-03-10"), {}, 2, 10, 10},
        {2, "payslip", day("2027-03-12"), {"late-from-client"}, 9, 4, 4},
        {3, "payslip", day("2027-03-26"), {}, 9, 3, 3},
        {4, "payslip", day("2027-03-27"), {"late-from-client", "rework-provider"}, 9, 2, 2},
    };
    ServiceMonth sm;
    sm.group = &groups.front();
    sm.service = "payslip";
    for (const DailyVolume& row : rows) sm.rows.push_back(&row);
    const Measurement m =
        measure_targets(sm, day_terms(groups.front(), "payslip", {day("2027-03-01"), day("2027-03-31")}));
    ASSERT_EQ(m.stats.size(), 1U) << c.name;
    EXPECT_EQ(m.stats[0].measured, c.measured) << c.name;
    EXPECT_EQ(m.stats[0].met, c.met) << c.name;
    EXPECT_EQ(m.stats[0].waived, c.waived) << c.name;
    EXPECT_EQ(m.stats[0].waived_by != nullptr, c.waived > 0) << c.name;
  }
}

struct FeeRunCase {
  const char* name;
  std::vector<model::Agreement> versions;
  std::vector<std::string> runs;  // "FROM..TO vN"
};

TEST(MonthlyFee, RunsOfDaysWithOneAmount) {
  auto with_fee = [](model::Agreement a, std::optional<const char*> amount) {
    if (amount) a.fees.push_back({"base-fee", "purchase-invoice", Money::parse(*amount), model::FeePer::month, {}});
    return a;
  };
  const std::vector<FeeRunCase> cases = {
      {"whole_month", {with_fee(version(1, "2027-01-01", "2027-12-31"), "250.00")}, {"2027-03-01..2027-03-31 v1"}},
      // the same amount under two versions is one run, of the last version
      {"same_amount_two_versions",
       {with_fee(version(1, "2027-01-01", "2027-12-31"), "250.00"),
        with_fee(version(2, "2027-03-15", "2027-12-31"), "250.00")},
       {"2027-03-01..2027-03-31 v2"}},
      {"amount_changes",
       {with_fee(version(1, "2027-01-01", "2027-12-31"), "250.00"),
        with_fee(version(2, "2027-03-15", "2027-12-31"), "300.00")},
       {"2027-03-01..2027-03-14 v1", "2027-03-15..2027-03-31 v2"}},
      {"starts_mid_month", {with_fee(version(1, "2027-03-18", "2027-12-31"), "250.00")}, {"2027-03-18..2027-03-31 v1"}},
      {"amendment_drops_it",
       {with_fee(version(1, "2027-01-01", "2027-12-31"), "250.00"),
        with_fee(version(2, "2027-03-10", "2027-03-20"), std::nullopt)},
       {"2027-03-01..2027-03-09 v1", "2027-03-21..2027-03-31 v1"}},
  };
  for (const auto& c : cases) {
    const std::vector<Group> groups = group_versions(c.versions);
    std::vector<const model::Agreement*> in_force;
    for (Date d = day("2027-03-01"); d <= day("2027-03-31"); d = next_day(d)) {
      in_force.push_back(model::version_in_force_among(groups.front().versions, d));
    }
    std::vector<std::string> runs;
    for (const FeeRun& run : monthly_fee_runs(in_force, day("2027-03-01"), "base-fee")) {
      runs.push_back(format_range(run.days) + " v" + std::to_string(run.version->version));
    }
    EXPECT_EQ(runs, c.runs) << c.name;
  }
}

}  // namespace
}  // namespace costcover::rating::detail
