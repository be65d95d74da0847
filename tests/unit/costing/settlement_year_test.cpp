// The settlement of a year (costing/settlement_year.hpp, docs/costing-jobs.md "settle"):
// the revenue grouped for the matching, the plans, when a year may be settled, the lines to
// invoice (the first settlement, the change after a final one, the reversal) and the check
// after. Each case's arithmetic is worked out in its comment.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "costing/settlement_year.hpp"

namespace costcover::costing {
namespace {

Money eur(const std::string& text) { return Money::parse(text); }

model::Service service(std::string id, std::string name, model::Vat vat = {}) {
  model::Service s;
  s.id = std::move(id);
  s.name = {{"fi", name + " (fi)"}, {"en", name}};
  s.vat = std::move(vat);
  return s;
}

// Catalog order: payslip (0), payment (1): not the ids' order.
model::Catalog catalog() {
  model::Catalog c;
  c.services.push_back(service("payslip", "Payslip", {model::VatCategory::standard, Decimal::parse("25.5"), ""}));
  c.services.push_back(service("payment", "Payment"));
  return c;
}

model::CostModel settling_model() {
  model::CostModel m;
  m.year = 2026;
  m.settlement_mode = model::SettlementMode::settle;
  m.threshold_percent = Decimal::parse("1.0");
  return m;
}

MatchingRow row(const std::string& service, const std::string& revenue, const std::string& personnel) {
  MatchingRow r{2026, service, eur(revenue), {}};
  r.cost[index_of(CostCategory::personnel)] = eur(personnel);
  return r;
}

SettlementPlan plan(const std::string& service, SettlementDecision decision, const std::string& revenue,
                    const std::string& surplus, std::vector<SettlementLine> lines) {
  SettlementPlan p;
  p.service = service;
  p.revenue = eur(revenue);
  p.surplus = eur(surplus);
  p.total_cost = p.revenue - p.surplus;
  p.decision = decision;
  p.lines = std::move(lines);
  return p;
}

// A line as "AGENCY service amount | description".
std::vector<std::string> shown(const std::vector<SettlementInvoiceLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines)
    out.push_back(l.agency + " " + l.service + " " + l.amount.to_string() + " | " + l.description);
  return out;
}

// Revenue of 2026: KTL was invoiced 250.00 + 50.00 for payment (two entries, a fee on
// payment among them), LVT 100.00; KTL 50.00 for payslip.
std::vector<InvoicedAmount> invoiced() {
  return {{"payment", "KTL", eur("250.00")},
          {"payment", "LVT", eur("100.00")},
          {"payment", "KTL", eur("50.00")},
          {"payslip", "KTL", eur("50.00")}};
}

TEST(YearRevenue, ServicesForTheMatchingAgenciesForTheSplit) {
  const YearRevenue revenue = year_revenue(invoiced());
  ASSERT_EQ(revenue.by_service.size(), 4U);
  EXPECT_EQ(revenue.by_service[0], (std::pair<std::string, Money>{"payment", eur("250.00")}));
  EXPECT_EQ(revenue.by_service[3], (std::pair<std::string, Money>{"payslip", eur("50.00")}));
  ASSERT_EQ(revenue.by_agency.count("payment"), 1U);
  const auto& payment = revenue.by_agency.at("payment");
  ASSERT_EQ(payment.size(), 3U);
  EXPECT_EQ(payment[2], (std::pair<std::string, Money>{"KTL", eur("50.00")}));
  EXPECT_EQ(revenue.by_agency.count(""), 0U);
}

// Every euro belongs to a service: a line without one (billed before fees and charges named
// theirs) refuses the settlement rather than staying outside the matching.
TEST(YearRevenue, AnAmountWithoutAServiceIsRefused) {
  try {
    (void)year_revenue({{"payment", "KTL", eur("250.00")}, {"", "LVT", eur("1200.00")}});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "final invoice lines of LVT worth 1 200.00 belong to no service (billed before fees and charges named "
              "the service they pay for); credit those invoices and bill the months again before settling");
  }
}

// The matching's TOTAL revenue against the year's final lines reckoned apart: equal passes,
// a cent apart is a broken invariant naming both figures and the difference.
TEST(MatchingRevenue, TotalMustBeTheYearsFinalLines) {
  const std::vector<MatchingRow> matching = {row("payment", "400.00", "500.00"), row("payslip", "50.00", "50.20"),
                                             row(kTotalRow, "450.00", "550.20")};
  EXPECT_NO_THROW(check_matching_revenue(2026, matching, eur("450.00")));
  try {
    check_matching_revenue(2026, matching, eur("450.01"));
    FAIL() << "expected an InvariantError";
  } catch (const InvariantError& e) {
    EXPECT_EQ(std::string(e.what()),
              "matching 2026: TOTAL revenue is 450.00 but the year's final invoice lines other than settlement lines "
              "sum to 450.01 (difference 0.01)");
  }
}

// The centre's result after the settlement = revenue + settlement - cost = what is carried.
TEST(CentreResult, RevenuePlusSettlementMinusCostIsTheCarriedTotal) {
  struct Case {
    const char* name;
    std::vector<SettlementPlan> plans;
    const char* revenue;
    const char* cost;
    const char* settlement;
    const char* result;
    int carried_services;
  };
  const std::vector<Case> cases = {
      // payment: 400.00 - 500.00 = deficit 100.00, charged +100.00; payslip 50.00 - 50.00 = 0.00.
      // result 450.00 + 100.00 - 550.00 = 0.00: every difference settled
      {"all_settled",
       {plan("payment", SettlementDecision::settle, "400.00", "-100.00", {{"KTL", eur("400.00"), eur("100.00")}}),
        plan("payslip", SettlementDecision::carry_forward, "50.00", "0.00", {})},
       "450.00",
       "550.00",
       "100.00",
       "0.00",
       0},
      // payment settled as above; payslip 50.00 - 50.20 = deficit 0.20 carried:
      // 450.00 + 100.00 - 550.20 = -0.20, the carried total
      {"one_carried",
       {plan("payment", SettlementDecision::settle, "400.00", "-100.00", {{"KTL", eur("400.00"), eur("100.00")}}),
        plan("payslip", SettlementDecision::carry_forward, "50.00", "-0.20", {})},
       "450.00",
       "550.20",
       "100.00",
       "-0.20",
       1},
      // carry_forward mode: payment -100.00 and payslip +30.00 both carried:
      // 480.00 + 0.00 - 550.00 = -70.00 = -100.00 + 30.00
      {"all_carried",
       {plan("payment", SettlementDecision::carry_forward, "400.00", "-100.00", {}),
        plan("payslip", SettlementDecision::carry_forward, "80.00", "30.00", {})},
       "480.00",
       "550.00",
       "0.00",
       "-70.00",
       2},
  };
  for (const auto& c : cases) {
    std::vector<MatchingRow> matching;
    for (const auto& p : c.plans) matching.push_back(row(p.service, p.revenue.to_string(), p.total_cost.to_string()));
    matching.push_back(row(kTotalRow, c.revenue, c.cost));
    const CentreResult result = centre_result(2026, matching, c.plans);
    EXPECT_EQ(result.revenue, eur(c.revenue)) << c.name;
    EXPECT_EQ(result.total_cost, eur(c.cost)) << c.name;
    EXPECT_EQ(result.settlement, eur(c.settlement)) << c.name;
    EXPECT_EQ(result.result(), eur(c.result)) << c.name;
    EXPECT_EQ(result.carried_forward, eur(c.result)) << c.name;
    EXPECT_EQ(result.carried_services, c.carried_services) << c.name;
  }
}

// A TOTAL row that does not add up to the plans breaks the invariant (the result would not
// be the carried total); so does a matching without a TOTAL row.
TEST(CentreResult, AResultThatIsNotTheCarriedTotalIsABug) {
  const std::vector<SettlementPlan> plans = {
      plan("payment", SettlementDecision::settle, "400.00", "-100.00", {{"KTL", eur("400.00"), eur("100.00")}})};
  // 400.00 + 100.00 - 499.99 = 0.01, but nothing is carried
  EXPECT_THROW(
      (void)centre_result(2026, {row("payment", "400.00", "500.00"), row(kTotalRow, "400.00", "499.99")}, plans),
      InvariantError);
  EXPECT_THROW((void)centre_result(2026, {row("payment", "400.00", "500.00")}, plans), InvariantError);
}

// payment: revenue 400.00, cost 500.00: deficit 100.00 > 1 % of 400.00 = 4.00, settled,
//   KTL 300/400 x 100.00 = 75.00, LVT 25.00.
// payslip: revenue 50.00, cost 50.20: deficit 0.20 <= 0.50, carried forward.
// archiving: cost 10.00, no revenue: deficit 10.00 > 0.00, but nobody to charge: carried.
TEST(YearPlans, OnePlanPerServiceRowButTheTotal) {
  const YearRevenue revenue = year_revenue(invoiced());
  MatchingRow total = row(kTotalRow, "450.00", "560.20");
  const auto plans = plan_settlements(
      settling_model(),
      {row("payment", "400.00", "500.00"), row("payslip", "50.00", "50.20"), row("archiving", "0.00", "10.00"), total},
      revenue);
  ASSERT_EQ(plans.size(), 3U);
  EXPECT_EQ(plans[0].service, "payment");
  EXPECT_EQ(plans[0].decision, SettlementDecision::settle);
  ASSERT_EQ(plans[0].lines.size(), 2U);
  EXPECT_EQ(plans[0].lines[0].agency, "KTL");
  EXPECT_EQ(plans[0].lines[0].invoiced, eur("300.00"));
  EXPECT_EQ(plans[0].lines[0].amount, eur("75.00"));
  EXPECT_EQ(plans[0].lines[1].amount, eur("25.00"));
  EXPECT_EQ(plans[0].settled(), eur("100.00"));
  EXPECT_EQ(plans[1].decision, SettlementDecision::carry_forward);
  EXPECT_EQ(plans[1].settled(), Money());
  EXPECT_EQ(plans[2].decision, SettlementDecision::carry_forward);
  EXPECT_EQ(plans[2].reason, "deficit 10.00 carried forward: no agency was invoiced a positive amount for the service");
}

TEST(SettlementBlocker, DraftsAlwaysRefuseMissingMonthsUnlessForced) {
  const std::vector<std::string> drafts = {"KTL 2026-03", "LVT 2026-05"};
  const std::vector<std::string> missing = {"2026-11", "2026-12"};
  const std::string drafts_refusal =
      "2 draft invoice(s) of 2026 are not final (first: KTL 2026-03); finalize or re-bill them before settling";
  const std::string missing_refusal =
      "the year 2026 is not fully invoiced: no final invoice for 2026-11, 2026-12; settle after the year's last "
      "finalisation (or --force)";
  struct Case {
    std::vector<std::string> drafts;
    std::vector<std::string> missing;
    bool force;
    std::optional<std::string> verdict;
  };
  const std::vector<Case> cases = {
      {drafts, {}, false, drafts_refusal},
      {drafts, missing, false, drafts_refusal},
      {drafts, missing, true, drafts_refusal},
      {{}, missing, false, missing_refusal},
      {{}, missing, true, std::nullopt},
      {{}, {}, false, std::nullopt},
      {{}, {}, true, std::nullopt},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(settlement_blocker(2026, cases[i].drafts, cases[i].missing, cases[i].force), cases[i].verdict);
  }
}

TEST(SettlementLines, PriceSourceAndDaysOfTheYear) {
  EXPECT_EQ(settlement_price_source(2026), "settlement 2026");
  EXPECT_EQ(settlement_days(2028), (DateRange{Date(2028, 1, 1), Date(2028, 12, 31)}));
}

// The plans of the first settlement: payment's deficit 100.00 charged (KTL 75.00, LVT 25.00,
// MMV's share 0.00: no line), payslip's surplus 10.00 returned to KTL.
std::vector<SettlementPlan> first_plans() {
  return {plan("payment", SettlementDecision::settle, "400.00", "-100.00",
               {{"KTL", eur("300.00"), eur("75.00")},
                {"LVT", eur("100.00"), eur("25.00")},
                {"MMV", eur("0.00"), eur("0.00")}}),
          plan("payslip", SettlementDecision::settle, "50.00", "10.00", {{"KTL", eur("50.00"), eur("-10.00")}})};
}

// KTL and LVT print in English (agencies.yaml language: en).
std::vector<model::Agency> english() {
  std::vector<model::Agency> agencies(2);
  agencies[0].id = "KTL";
  agencies[0].language = "en";
  agencies[1].id = "LVT";
  agencies[1].language = "en";
  return agencies;
}

TEST(SettlementLines, TheFirstSettlementByAgencyThenCatalogOrder) {
  const auto lines = settlement_lines(2026, catalog(), first_plans(), year_revenue(invoiced()), {}, english());
  // KTL before LVT; within KTL payslip (catalog 0) before payment (catalog 1). The
  // proportion names what the agency was invoiced for the service: KTL 250.00 + 50.00.
  EXPECT_EQ(shown(lines),
            (std::vector<std::string>{
                "KTL payslip -10.00 | Payslip: settlement of 2026, surplus 10.00 returned in proportion to 50.00 "
                "invoiced of 50.00",
                "KTL payment 75.00 | Payment: settlement of 2026, deficit 100.00 charged in proportion to 300.00 "
                "invoiced of 400.00",
                "LVT payment 25.00 | Payment: settlement of 2026, deficit 100.00 charged in proportion to 100.00 "
                "invoiced of 400.00",
            }));
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].vat.category, model::VatCategory::standard);  // the service's VAT
  EXPECT_EQ(lines[1].vat.category, model::VatCategory::not_subject);
}

// After the first settlement was finalised, a corrected ledger raises payment's deficit to
// 104.00: KTL's share 78.00, LVT's 26.00. Final lines hold 75.00 and 25.00, so the changes
// are 3.00 and 1.00; payslip's -10.00 is unchanged: no line.
TEST(SettlementLines, AfterAFinalSettlementOnlyTheChange) {
  const std::vector<SettlementPlan> plans = {
      plan("payment", SettlementDecision::settle, "400.00", "-104.00",
           {{"KTL", eur("300.00"), eur("78.00")}, {"LVT", eur("100.00"), eur("26.00")}}),
      plan("payslip", SettlementDecision::settle, "50.00", "10.00", {{"KTL", eur("50.00"), eur("-10.00")}})};
  const std::vector<InvoicedAmount> finals = {
      {"payment", "KTL", eur("75.00")}, {"payment", "LVT", eur("25.00")}, {"payslip", "KTL", eur("-10.00")}};
  EXPECT_EQ(shown(settlement_lines(2026, catalog(), plans, year_revenue(invoiced()), finals, english())),
            (std::vector<std::string>{
                "KTL payment 3.00 | Payment: settlement of 2026, deficit 104.00 charged in proportion to 300.00 "
                "invoiced of 400.00 (change to the settlement already invoiced)",
                "LVT payment 1.00 | Payment: settlement of 2026, deficit 104.00 charged in proportion to 100.00 "
                "invoiced of 400.00 (change to the settlement already invoiced)",
            }));
  // The same plans against their own final lines: nothing to add.
  const std::vector<InvoicedAmount> same = {
      {"payment", "KTL", eur("78.00")}, {"payment", "LVT", eur("26.00")}, {"payslip", "KTL", eur("-10.00")}};
  EXPECT_TRUE(settlement_lines(2026, catalog(), plans, year_revenue(invoiced()), same, english()).empty());
}

// payment is now within the threshold (carried forward): its final lines 75.00 and 25.00
// are reversed (-75.00, -25.00); payslip left the matching altogether: its -10.00 is
// reversed (+10.00) too.
TEST(SettlementLines, ACarriedOrVanishedServiceIsReversed) {
  const std::vector<SettlementPlan> plans = {plan("payment", SettlementDecision::carry_forward, "400.00", "-3.00", {})};
  const std::vector<InvoicedAmount> finals = {
      {"payment", "KTL", eur("75.00")}, {"payment", "LVT", eur("25.00")}, {"payslip", "KTL", eur("-10.00")}};
  EXPECT_EQ(shown(settlement_lines(2026, catalog(), plans, year_revenue(invoiced()), finals, english())),
            (std::vector<std::string>{
                "KTL payslip 10.00 | Payslip: settlement of 2026 reversed (the difference is now carried forward)",
                "KTL payment -75.00 | Payment: settlement of 2026 reversed (the difference is now carried forward)",
                "LVT payment -25.00 | Payment: settlement of 2026 reversed (the difference is now carried forward)",
            }));
}

// Each agency's lines are in its language, the service named in it: KTL sv (the catalog
// has no Swedish names: the first written), LVT not listed: fi.
TEST(SettlementLines, InEachAgencysLanguage) {
  std::vector<model::Agency> agencies(1);
  agencies[0].id = "KTL";
  agencies[0].language = "sv";
  const auto lines = settlement_lines(2026, catalog(), first_plans(), year_revenue(invoiced()), {}, agencies);
  EXPECT_EQ(shown(lines),
            (std::vector<std::string>{
                "KTL payslip -10.00 | Payslip (fi): avräkning för 2026, överskott 10.00 återbetalat i proportion "
                "till fakturerat 50.00 av 50.00",
                "KTL payment 75.00 | Payment (fi): avräkning för 2026, underskott 100.00 debiterat i proportion "
                "till fakturerat 300.00 av 400.00",
                "LVT payment 25.00 | Payment (fi): tasaus vuodelta 2026, alijäämä 100.00 veloitettu laskutuksen "
                "100.00 suhteessa kokonaistuottoon 400.00",
            }));
  const std::vector<SettlementPlan> carried = {
      plan("payment", SettlementDecision::carry_forward, "400.00", "-3.00", {})};
  const std::vector<InvoicedAmount> finals = {{"payment", "LVT", eur("25.00")}};
  EXPECT_EQ(shown(settlement_lines(2026, catalog(), carried, year_revenue(invoiced()), finals, agencies)),
            (std::vector<std::string>{"LVT payment -25.00 | Payment (fi): vuoden 2026 tasaus peruttu (erotus "
                                      "siirretään seuraavalle vuodelle)"}));
}

TEST(SettlementLines, AServiceTheCatalogLacksIsABrokenInvariant) {
  const std::vector<SettlementPlan> plans = {
      plan("ghost", SettlementDecision::settle, "10.00", "-5.00", {{"KTL", eur("10.00"), eur("5.00")}})};
  try {
    (void)settlement_lines(2026, catalog(), plans, {}, {}, english());
    FAIL() << "no error";
  } catch (const InvariantError& error) {
    EXPECT_STREQ(error.what(), "settlement for service ghost which the catalog lacks");
  }
}

// Stored sums: payment 100.00 (= -surplus -100.00: right); payslip carried, no lines (right).
// Then payment one cent short, and lines for the carried payslip.
TEST(SettlementSums, EveryServiceSumsToWhatItsPlanSettles) {
  const std::vector<SettlementPlan> plans = {plan("payment", SettlementDecision::settle, "400.00", "-100.00", {}),
                                             plan("payslip", SettlementDecision::carry_forward, "50.00", "-0.20", {})};
  EXPECT_NO_THROW(check_settlement_sums(2026, plans, {{"payment", eur("100.00")}}));
  EXPECT_NO_THROW(check_settlement_sums(2026, plans, {{"payment", eur("100.00")}, {"payslip", eur("0.00")}}));
  const auto message = [&](const std::map<std::string, Money>& sums) {
    try {
      check_settlement_sums(2026, plans, sums);
    } catch (const InvariantError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"payment", eur("99.99")}}),
            "payment 2026: settlement lines sum to 99.99 but the difference to settle is 100.00 (remainder 0.01)");
  EXPECT_EQ(message({}),
            "payment 2026: settlement lines sum to 0.00 but the difference to settle is 100.00 "
            "(remainder 100.00)");
  EXPECT_EQ(message({{"payment", eur("100.00")}, {"payslip", eur("5.00")}}),
            "payslip 2026: settlement lines sum to 5.00 but the difference to settle is 0.00 (remainder -5.00)");
}

}  // namespace
}  // namespace costcover::costing
