// The matching calculation, the settlement and the price proposal on the reciprocal
// example of allocation_test.cpp (services: purchase-invoice 384 010.15 = personnel
// 255 000.00 + support 129 010.15; travel-claim 67 766.50 = 45 000.00 + 22 766.50;
// payslip 548 223.35 = 400 000.00 + 148 223.35).
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "costing/costing.hpp"
#include "model_builder.hpp"
#include "render/costing_csv.hpp"

namespace costcover::costing {
namespace {

using namespace costcover::costing::testing;
using model::AllocationMethod;
using model::SettlementMode;

std::vector<std::pair<std::string, Money>> sample_revenue() {
  return {{"purchase-invoice", eur("390000.00")}, {"travel-claim", eur("60000.00")}, {"payslip", eur("548223.35")}};
}

// coverage: 390 000 / 384 010.15 = 101.5598...% -> 101.56; 60 000 / 67 766.50 = 88.5393...%
// -> 88.54; payslip exactly 100.00; TOTAL 998 223.35 / 1 000 000.00 = 99.822335% -> 99.82.
TEST(Matching, CsvRowsAndTotal) {
  const Allocation a = allocate_costs(sample_model(AllocationMethod::reciprocal), sample_ledger());
  const auto rows = matching_rows(a, sample_revenue());
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(render::matching_csv(rows),
            "year,service,revenue,materials,personnel,rents,purchased_services,other_direct,direct_total,"
            "support_functions,depreciation,imputed_interest,other_common,common_total,total_cost,surplus,"
            "coverage_percent\n"
            "2027,purchase-invoice,390000.00,0.00,255000.00,0.00,0.00,0.00,255000.00,129010.15,0.00,0.00,0.00,"
            "129010.15,384010.15,5989.85,101.56\n"
            "2027,travel-claim,60000.00,0.00,45000.00,0.00,0.00,0.00,45000.00,22766.50,0.00,0.00,0.00,22766.50,"
            "67766.50,-7766.50,88.54\n"
            "2027,payslip,548223.35,0.00,400000.00,0.00,0.00,0.00,400000.00,148223.35,0.00,0.00,0.00,148223.35,"
            "548223.35,0.00,100.00\n"
            "2027,TOTAL,998223.35,0.00,700000.00,0.00,0.00,0.00,700000.00,300000.00,0.00,0.00,0.00,300000.00,"
            "1000000.00,-1776.65,99.82\n");
}

TEST(Matching, RevenueWithoutCostAndZeroCoverage) {
  const Allocation a = allocate_costs(sample_model(AllocationMethod::direct), sample_ledger());
  auto revenue = sample_revenue();
  revenue.emplace_back("archiving", eur("100.00"));
  revenue.emplace_back("archiving", eur("20.00"));
  const auto rows = matching_rows(a, revenue);
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows[3].service, "archiving");
  EXPECT_EQ(rows[3].revenue, eur("120.00"));
  EXPECT_EQ(rows[3].total_cost(), eur("0.00"));
  EXPECT_EQ(rows[3].surplus(), eur("120.00"));
  EXPECT_FALSE(rows[3].coverage_percent().has_value());  // printed as an empty field
  const std::string csv = render::matching_csv(rows);
  EXPECT_NE(csv.find("2027,archiving,120.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,120.00,\n"),
            std::string::npos);
}

// Issue 11, item 5: names that a spreadsheet would run as formulas are written as text in
// every costing CSV (a leading single quote); amounts, negative ones too, stay numbers.
TEST(Outputs, TextFieldsAreNeverFormulas) {
  MatchingRow matching;
  matching.year = 2027;
  matching.service = "=HYPERLINK(\"http://evil.example\",\"x\")";
  matching.revenue = eur("-47.00");
  EXPECT_EQ(render::matching_csv({matching}).substr(render::matching_csv({}).size()),
            "2027,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",-47.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,"
            "0.00,0.00,0.00,0.00,0.00,-47.00,\n");
  const AllocationRow allocation{
      "@SUM(1+1)*cmd|' /C calc'!A0", model::CentreKind::support, eur("-1.00"), eur("2.00"), eur("1.00"), eur("1.00")};
  EXPECT_EQ(render::allocation_csv({allocation}).substr(render::allocation_csv({}).size()),
            "'@SUM(1+1)*cmd|' /C calc'!A0,support,-1.00,2.00,1.00,1.00\n");
  UnitCostRow unit;
  unit.service = "+cmd";
  unit.total_cost = eur("-3.00");
  EXPECT_EQ(render::unit_costs_csv({unit}).substr(render::unit_costs_csv({}).size()),
            "'+cmd,0.00,0.00,0.00,-3.00,,,\n");
  WhatIfRow what_if;
  what_if.agency = "-KTL";
  what_if.service = "\tpayslip";
  what_if.current_amount = eur("10.00");
  what_if.proposed_amount = eur("5.00");
  EXPECT_EQ(render::price_what_if_csv({what_if}).substr(render::price_what_if_csv({}).size()),
            "'-KTL,'\tpayslip,,,,10.00,5.00,-5.00,-50.00\n");
}

TEST(Matching, CoveragePercentRounding) {
  EXPECT_EQ(coverage_percent(eur("1.00"), eur("3.00"))->to_string(2), "33.33");
  EXPECT_EQ(coverage_percent(eur("2.00"), eur("3.00"))->to_string(2), "66.67");
  EXPECT_EQ(coverage_percent(eur("0.01"), eur("800.00"))->to_string(2), "0.00");    // 0.00125 %
  EXPECT_EQ(coverage_percent(eur("0.01"), eur("400.00"))->to_string(2), "0.00");    // 0.0025 %
  EXPECT_EQ(coverage_percent(eur("0.01"), eur("200.00"))->to_string(2), "0.01");    // 0.005 %: half up
  EXPECT_EQ(coverage_percent(eur("-0.01"), eur("200.00"))->to_string(2), "-0.01");  // half away from zero
  EXPECT_FALSE(coverage_percent(eur("1.00"), eur("0.00")).has_value());
}

// ---- settlement ------------------------------------------------------------------------

TEST(Settlement, Decision) {
  const Decimal one = Decimal::parse("1.0");
  // 1 % of 390 000.00 is 3 900.00: settle only strictly above.
  EXPECT_EQ(settlement_decision(SettlementMode::settle, one, eur("390000.00"), eur("3900.00")),
            SettlementDecision::carry_forward);
  EXPECT_EQ(settlement_decision(SettlementMode::settle, one, eur("390000.00"), eur("3900.01")),
            SettlementDecision::settle);
  EXPECT_EQ(settlement_decision(SettlementMode::settle, one, eur("390000.00"), eur("-3900.01")),
            SettlementDecision::settle);
  EXPECT_EQ(settlement_decision(SettlementMode::carry_forward, one, eur("390000.00"), eur("50000.00")),
            SettlementDecision::carry_forward);
  EXPECT_EQ(settlement_decision(SettlementMode::settle, one, eur("390000.00"), eur("0.00")),
            SettlementDecision::carry_forward);
  EXPECT_EQ(settlement_decision(SettlementMode::settle, one, eur("0.00"), eur("-0.01")), SettlementDecision::settle);
}

// Surplus 5 989.85 returned to KTL (invoiced 300 000) and ABC (90 000):
//   KTL 598 985 x 300/390 = 460 757.69 cents, ABC 138 227.31 cents; floors 598 984, the
//   leftover cent to KTL (.69): KTL -4 607.58, ABC -1 382.27, sum -5 989.85.
TEST(Settlement, SurplusIsReturnedAsNegativeLines) {
  const auto lines = split_settlement(
      eur("5989.85"),
      {{"KTL", eur("200000.00")}, {"ABC", eur("90000.00")}, {"KTL", eur("100000.00")}, {"ZERO", eur("0.00")}});
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].agency, "KTL");
  EXPECT_EQ(lines[0].invoiced, eur("300000.00"));
  EXPECT_EQ(lines[0].amount, eur("-4607.58"));
  EXPECT_EQ(lines[1].agency, "ABC");
  EXPECT_EQ(lines[1].amount, eur("-1382.27"));
}

TEST(Settlement, DeficitIsChargedAndLinesSumToTheCent) {
  const std::vector<std::pair<std::string, Money>> invoiced = {
      {"A", eur("1.00")}, {"B", eur("1.00")}, {"C", eur("1.00")}};
  const auto lines = split_settlement(eur("-100.00"), invoiced);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].amount, eur("33.34"));  // ties go to the first listed
  EXPECT_EQ(lines[1].amount, eur("33.33"));
  EXPECT_EQ(lines[2].amount, eur("33.33"));
  EXPECT_THROW((void)split_settlement(eur("-1.00"), {{"A", eur("0.00")}, {"B", eur("-5.00")}}), InputError);
}

TEST(Settlement, PlanPerServiceBringsTheResultToZero) {
  const auto model = sample_model(AllocationMethod::reciprocal);
  const Allocation a = allocate_costs(model, sample_ledger());
  const auto rows = matching_rows(a, sample_revenue());
  // purchase-invoice: surplus 5 989.85 > 1 % of 390 000 = 3 900.00: settled.
  const SettlementPlan p = plan_settlement(model, rows[0], {{"KTL", eur("300000.00")}, {"ABC", eur("90000.00")}});
  EXPECT_EQ(p.decision, SettlementDecision::settle);
  EXPECT_EQ(p.threshold, eur("3900.00"));
  EXPECT_EQ(p.reason, "surplus 5989.85 settled: above the threshold of 1 % of revenue (3900.00)");
  Money sum;
  for (const auto& line : p.lines) sum += line.amount;
  EXPECT_EQ(p.revenue + sum - p.total_cost, eur("0.00"));
  // travel-claim: deficit 7 766.50 > 600.00: charged.
  const SettlementPlan q = plan_settlement(model, rows[1], {{"KTL", eur("59000.00")}, {"ABC", eur("1000.00")}});
  EXPECT_EQ(q.decision, SettlementDecision::settle);
  ASSERT_EQ(q.lines.size(), 2U);
  EXPECT_EQ(q.lines[0].amount + q.lines[1].amount, eur("7766.50"));
  // payslip: no difference.
  const SettlementPlan r = plan_settlement(model, rows[2], {{"KTL", eur("548223.35")}});
  EXPECT_EQ(r.decision, SettlementDecision::carry_forward);
  EXPECT_EQ(r.reason, "no difference to settle");
  EXPECT_TRUE(r.lines.empty());
  // carry_forward mode never settles.
  auto carry = model;
  carry.settlement_mode = SettlementMode::carry_forward;
  const SettlementPlan s = plan_settlement(carry, rows[1], {{"KTL", eur("60000.00")}});
  EXPECT_EQ(s.decision, SettlementDecision::carry_forward);
  EXPECT_EQ(s.reason, "deficit 7766.50 carried forward: settlement mode is carry_forward");
  // Nobody to split over: carried forward.
  const SettlementPlan t = plan_settlement(model, rows[1], {});
  EXPECT_EQ(t.decision, SettlementDecision::carry_forward);
  EXPECT_EQ(t.reason, "deficit 7766.50 carried forward: no agency was invoiced a positive amount for the service");
}

// ---- price proposal --------------------------------------------------------------------

TEST(PriceProposal, UnitCostTimesVolumeAndProposedPriceCovers) {
  const auto model = sample_model(AllocationMethod::reciprocal);
  const auto rows = unit_cost_rows(allocate_costs(model, sample_ledger()), model);
  for (const UnitCostRow& r : rows) {
    ASSERT_TRUE(r.unit_cost && r.proposed_price && r.forecast_volume);
    // unit cost x volume is the cost within half a ten-thousandth of a euro per unit
    const Money back = multiply_round(*r.forecast_volume, *r.unit_cost);
    const std::int64_t tolerance = (*r.forecast_volume + 1) / 2 / 100 + 1;  // cents
    EXPECT_LE(std::abs((back - r.total_cost).cents()), tolerance) << r.service;
    EXPECT_GE(multiply_round(*r.forecast_volume, *r.proposed_price), r.total_cost) << r.service;
  }
}

TEST(PriceProposal, NoVolumeNoPrice) {
  auto model = sample_model(AllocationMethod::direct);
  model.forecast_volumes = {{"purchase-invoice", 0}, {"payslip", 3}};
  const auto rows = unit_cost_rows(allocate_costs(model, sample_ledger()), model);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].service, "purchase-invoice");
  EXPECT_FALSE(rows[0].unit_cost.has_value());
  EXPECT_EQ(rows[2].service, "travel-claim");
  EXPECT_FALSE(rows[2].forecast_volume.has_value());
  // payslip: 547 712.42 / 3 = 182 570.806666... -> unit 182570.8067, proposed 182570.81
  EXPECT_EQ(rows[1].unit_cost->to_string(4), "182570.8067");
  EXPECT_EQ(rows[1].proposed_price->to_string(4), "182570.8100");
  const std::string csv = render::unit_costs_csv(rows);
  EXPECT_NE(csv.find("\npurchase-invoice,"), std::string::npos);
  EXPECT_NE(csv.find(",0,,\n"), std::string::npos);  // volume 0: no unit cost
  EXPECT_NE(csv.find(",,,\n"), std::string::npos);   // no volume at all
}

TEST(PriceProposal, ExactQuotientIsRoundedUp) {
  // 420.01 over 100 units: 4.2001 -> proposed 4.21; 420.00 over 100: exactly 4.20.
  model::CostModel model;
  model.forecast_volumes = {{"a", 100}, {"b", 100}, {"c", 3}};
  ServiceCostRow a{"a", {}};
  a.cost[index_of(CostCategory::personnel)] = eur("420.01");
  ServiceCostRow b{"b", {}};
  b.cost[index_of(CostCategory::personnel)] = eur("420.00");
  // 10.00 / 3 = 3.3333...: unit 3.3333, proposed 3.34
  ServiceCostRow c{"c", {}};
  c.cost[index_of(CostCategory::personnel)] = eur("10.00");
  const auto rows = unit_cost_rows(std::vector<ServiceCostRow>{a, b, c}, model);
  EXPECT_EQ(rows[0].unit_cost->to_string(4), "4.2001");
  EXPECT_EQ(rows[0].proposed_price->to_string(4), "4.2100");
  EXPECT_EQ(rows[1].proposed_price->to_string(4), "4.2000");
  EXPECT_EQ(rows[2].unit_cost->to_string(4), "3.3333");
  EXPECT_EQ(rows[2].proposed_price->to_string(4), "3.3400");
  EXPECT_EQ(
      render::price_list_yaml(2028, "cost model 2028, \"draft\"", proposed_prices(rows), {"Proposed by costcover", ""}),
      "# Proposed by costcover\n"
      "#\n"
      "price_list:\n"
      "  year: 2028\n"
      "  basis: \"cost model 2028, \\\"draft\\\"\"\n"
      "prices:\n"
      "  a: 4.21\n"
      "  b: 4.20\n"
      "  c: 3.34\n");
}

TEST(PriceProposal, WhatIfPerAgency) {
  const PriceTable current = {{"purchase-invoice", Decimal::parse("4.20")}, {"payslip", Decimal::parse("11.85")}};
  const PriceTable proposed = {{"purchase-invoice", Decimal::parse("3.85")},
                               {"payslip", Decimal::parse("10.97")},
                               {"travel-claim", Decimal::parse("3.39")}};
  const auto rows = price_what_if({{"KTL", "purchase-invoice", 14400},
                                   {"KTL", "travel-claim", 500},
                                   {"ABC", "payslip", 1200},
                                   {"KTL", "purchase-invoice", 600}},
                                  current, proposed);
  // KTL purchase-invoice 15 000 x 4.20 = 63 000.00 -> x 3.85 = 57 750.00 (-5 250.00, -8.33 %)
  // KTL travel-claim: no current price, 500 x 3.39 = 1 695.00
  // KTL total 63 000.00 -> 59 445.00 (-3 555.00, -5.64 %)
  // ABC payslip 1 200 x 11.85 = 14 220.00 -> x 10.97 = 13 164.00 (-1 056.00, -7.43 %)
  EXPECT_EQ(render::price_what_if_csv(rows),
            "agency,service,volume,current_price,proposed_price,current_amount,proposed_amount,change,change_percent\n"
            "KTL,purchase-invoice,15000,4.2000,3.8500,63000.00,57750.00,-5250.00,-8.33\n"
            "KTL,travel-claim,500,,3.3900,0.00,1695.00,1695.00,\n"
            "KTL,TOTAL,,,,63000.00,59445.00,-3555.00,-5.64\n"
            "ABC,payslip,1200,11.8500,10.9700,14220.00,13164.00,-1056.00,-7.43\n"
            "ABC,TOTAL,,,,14220.00,13164.00,-1056.00,-7.43\n");
}

}  // namespace
}  // namespace costcover::costing
