// The costing reports' text (render/tables.hpp, costing_csv.hpp's price
// list header): the terminal tables' columns and decisions, the matching page's rows and
// escaping, and the header lines of a proposed price list. The CSV files themselves are
// checked byte for byte in allocation_test.cpp and matching_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/cost_model_names.hpp"
#include "render/costing_csv.hpp"
#include "render/tables.hpp"

namespace costcover::render {
namespace {

using costing::SettlementDecision;

Money eur(const std::string& text) { return Money::parse(text); }

costing::MatchingRow row(const std::string& service, const std::string& revenue, const std::string& personnel) {
  costing::MatchingRow r{2026, service, eur(revenue), {}};
  r.cost[costing::index_of(costing::CostCategory::personnel)] = eur(personnel);
  return r;
}

costing::SettlementPlan plan(const std::string& service, SettlementDecision decision, const std::string& surplus,
                             std::vector<costing::SettlementLine> lines) {
  costing::SettlementPlan p;
  p.service = service;
  p.surplus = eur(surplus);
  p.decision = decision;
  p.reason = "because <reasons>";
  p.lines = std::move(lines);
  return p;
}

// payment: revenue 1 200.00, cost 1 000.00, surplus 200.00, coverage 120.00 %, settled
// over two agencies (-150.00 - 50.00 = -200.00); payslip: no revenue, coverage 0.00 %,
// carried; training: no cost, so no coverage, and no plan; TOTAL has no plan either.
TEST(SettleTable, ColumnsAndDecisions) {
  const std::vector<costing::MatchingRow> rows = {row("payment", "1200.00", "1000.00"), row("payslip", "0.00", "5.00"),
                                                  row("training", "0.00", "0.00"), row("TOTAL", "1200.00", "1005.00")};
  const std::vector<costing::SettlementPlan> plans = {
      plan("payment", SettlementDecision::settle, "200.00",
           {{"KTL", eur("900.00"), eur("-150.00")}, {"LVT", eur("300.00"), eur("-50.00")}}),
      plan("payslip", SettlementDecision::carry_forward, "-5.00", {})};
  EXPECT_EQ(settle_table(rows, plans),
            "service                   revenue      total cost        surplus  coverage decision\n"
            "payment                  1 200.00        1 000.00         200.00  120.00 % settle -200.00 (2 agencies)\n"
            "payslip                      0.00            5.00          -5.00    0.00 % carry forward\n"
            "training                     0.00            0.00           0.00           \n"
            "TOTAL                    1 200.00        1 005.00         195.00  119.40 % \n");
}

// revenue 1 200.00 + settlement -200.00 - cost 1 005.00 = -5.00, payslip's deficit carried;
// with everything settled the result is 0.00 and nothing is carried.
TEST(CentreResultTable, ResultAndWhatIsCarried) {
  costing::CentreResult carried{eur("1200.00"), eur("-200.00"), eur("1005.00"), eur("-5.00"), 1};
  EXPECT_EQ(centre_result_table(carried),
            "the centre's result after the settlement: revenue 1 200.00 + settlement -200.00 - cost 1 005.00 = -5.00\n"
            "  carried forward into a later price list: -5.00 over 1 service(s)\n");
  costing::CentreResult settled{eur("1200.00"), eur("-195.00"), eur("1005.00"), Money(), 0};
  EXPECT_EQ(centre_result_table(settled),
            "the centre's result after the settlement: revenue 1 200.00 + settlement -195.00 - cost 1 005.00 = 0.00\n"
            "  every difference settled: nothing is carried forward\n");
}

TEST(UnitCostsTable, PriceFromTheProposalEmptyWithoutOne) {
  costing::UnitCostRow a;
  a.service = "payment";
  a.total_cost = eur("1234567.89");
  a.forecast_volume = 300000;
  a.unit_cost = Decimal::parse("4.1152");
  costing::UnitCostRow b;
  b.service = "archiving";
  b.total_cost = eur("10.00");
  EXPECT_EQ(unit_costs_table({a, b}, {{"payment", Decimal::parse("4.12")}}),
            "  payment           total cost    1 234 567.89  volume    300000  unit cost    4.1152  price    4.1200\n"
            "  archiving         total cost           10.00  volume            unit cost            price          \n");
}

// Widths count characters, not bytes: "kärrynpyörä" (11 characters, 13 bytes) is padded
// to 17 like an ASCII name.
TEST(WhatIfTable, TotalRowsAndColumnsByCharacters) {
  costing::WhatIfRow service{"KTL",          "kärrynpyörä", 1000, Decimal::parse("4.00"), Decimal::parse("4.40"),
                             eur("4000.00"), eur("4400.00")};
  costing::WhatIfRow total{"KTL",        costing::kTotalRow, std::nullopt,  std::nullopt,
                           std::nullopt, eur("4000.00"),     eur("4400.00")};
  EXPECT_EQ(what_if_table({service, total}),
            "agency   service              volume  price now   proposed     amount now       proposed        change "
            "       %\n"
            "KTL      kärrynpyörä            1000     4.0000     4.4000       4 000.00       4 400.00        400.00 "
            "   10.00\n"
            "         KTL total                                               4 000.00       4 400.00        400.00 "
            "   10.00\n");
}

PriceListSource source() {
  PriceListSource s;
  s.year = 2026;
  s.ledger_load = 3;
  s.ledger_file = "ledger-2026.csv";
  s.ledger_sha256 = "abc";
  s.ledger_rows = 385;
  s.ledger_total = eur("4334250.00");
  s.cost_model_file = "contracts/costs/2026.yaml";
  s.cost_model_sha256 = "def";
  s.method = model::AllocationMethod::step_down;
  s.imputed_interest = eur("45150.00");
  return s;
}

TEST(PriceListHeader, TheInputsAndTheCarriedDifferences) {
  const std::vector<std::string> common = {
      "Proposed cost-covering prices for 2027, by `costcover prices propose --year 2026`.",
      "Ledger 2026: ledger-2026.csv (sha256 abc), 385 rows, total 4334250.00.",
      "Cost model 2026: contracts/costs/2026.yaml (sha256 def), method step_down, imputed interest 45150.00.",
      "Volumes: forecast_volumes of the cost model 2026; price = total cost / forecast volume, rounded up to the cent.",
  };
  auto not_run = common;
  not_run.push_back("`costcover settle --year 2026` has not run: no carried differences included.");
  EXPECT_EQ(price_list_header(source()), not_run);

  PriceListSource settled = source();
  settled.settlement_recorded = true;
  auto nothing_carried = common;
  nothing_carried.push_back("No difference of 2026 was carried forward by `costcover settle`.");
  EXPECT_EQ(price_list_header(settled), nothing_carried);

  settled.carried = {{"sales-invoice", eur("336.56")}, {"payment", eur("-12.00")}};
  auto carried = common;
  carried.push_back("sales-invoice: surplus 336.56 of 2026 carried forward into the price.");
  carried.push_back("payment: deficit 12.00 of 2026 carried forward into the price.");
  EXPECT_EQ(price_list_header(settled), carried);
  EXPECT_EQ(price_list_basis(source()), "ledger 2026 (load 3, sha256 abc), cost model 2026, proposed by costcover");
  EXPECT_EQ(price_list_basis(settled),
            "ledger 2026 (load 3, sha256 abc), cost model 2026, proposed by costcover, with differences of 2026 "
            "carried forward");
}

// The budget of Y proposes the prices of Y itself (not Y+1), before the year; the
// differences are those of the latest settled year before Y, named as that year's.
TEST(PriceListHeader, ABudgetProposesItsOwnYearBeforeItStarts) {
  PriceListSource budget = source();
  budget.basis = costing::CostBasis::budget;
  budget.year = 2027;
  budget.ledger_load = 1;
  budget.ledger_file = "budget-2027.csv";
  budget.cost_model_file = "contracts/costs/2027.yaml";
  const std::vector<std::string> common = {
      "Proposed cost-covering prices for 2027, by `costcover prices propose --year 2027 --budget`, before the year.",
      "Budget 2027: budget-2027.csv (sha256 abc), 385 rows, total 4334250.00.",
      "Cost model 2027: contracts/costs/2027.yaml (sha256 def), method step_down, imputed interest 45150.00.",
      "Volumes: forecast_volumes of the cost model 2027; price = total cost / forecast volume, rounded up to the cent.",
  };
  auto none = common;
  none.push_back("No year before 2027 has been settled by `costcover settle`: no carried differences included.");
  EXPECT_EQ(price_list_header(budget), none);
  EXPECT_EQ(price_list_basis(budget), "budget 2027 (load 1, sha256 abc), cost model 2027, proposed by costcover");

  budget.settled_year = 2025;
  budget.settlement_recorded = true;
  auto nothing_carried = common;
  nothing_carried.push_back("No difference of 2025 was carried forward by `costcover settle`.");
  EXPECT_EQ(price_list_header(budget), nothing_carried);

  budget.carried = {{"payment", eur("-12.00")}};
  auto carried = common;
  carried.push_back("payment: deficit 12.00 of 2025 carried forward into the price.");
  EXPECT_EQ(price_list_header(budget), carried);
  EXPECT_EQ(price_list_basis(budget),
            "budget 2027 (load 1, sha256 abc), cost model 2027, proposed by costcover, with differences of 2025 "
            "carried forward");
}

TEST(ProposedPriceYear, TheLedgerProposesTheNextYearTheBudgetItsOwn) {
  EXPECT_EQ(costing::proposed_price_year(costing::CostBasis::ledger, 2026), 2027);
  EXPECT_EQ(costing::proposed_price_year(costing::CostBasis::budget, 2027), 2027);
}

TEST(CostModelNames, TheNamesTheFilesUse) {
  EXPECT_EQ(model::to_string(model::AllocationMethod::direct), "direct");
  EXPECT_EQ(model::to_string(model::AllocationMethod::step_down), "step_down");
  EXPECT_EQ(model::to_string(model::AllocationMethod::reciprocal), "reciprocal");
  EXPECT_EQ(model::to_string(model::CentreKind::support), "support");
  EXPECT_EQ(model::to_string(model::CentreKind::production), "production");
}

}  // namespace
}  // namespace costcover::render
