// The price proposal's pure steps around the engine (costing/price_proposal.hpp,
// docs/costing-jobs.md "prices propose"): which recorded differences are carried, the
// prices they move, and each agency's forecast volumes for the what-if.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "costing/price_proposal.hpp"

namespace costcover::costing {
namespace {

Money eur(const std::string& text) { return Money::parse(text); }
Decimal dec(const std::string& text) { return Decimal::parse(text); }

model::Catalog catalog() {
  model::Catalog c;
  for (const char* id : {"payslip", "payment", "archiving"}) {
    model::Service s;
    s.id = id;
    c.services.push_back(s);
  }
  return c;
}

TEST(CarriedDifferences, OnlyCarriedDifferencesInCatalogOrder) {
  const std::vector<RecordedDecision> recorded = {
      {"archiving", SettlementDecision::settle, eur("30.00")},        // settled: nothing carried
      {"ghost", SettlementDecision::carry_forward, eur("5.00")},      // not in the catalog: first
      {"other", SettlementDecision::carry_forward, eur("0.00")},      // no difference
      {"payment", SettlementDecision::carry_forward, eur("100.00")},  // a surplus
      {"payslip", SettlementDecision::carry_forward, eur("-50.00")},  // a deficit
  };
  const auto carried = carried_differences(recorded, catalog());
  ASSERT_EQ(carried.size(), 3U);
  EXPECT_EQ(carried[0].service, "ghost");
  EXPECT_EQ(carried[1].service, "payslip");
  EXPECT_EQ(carried[1].surplus, eur("-50.00"));
  EXPECT_EQ(carried[2].service, "payment");
  EXPECT_TRUE(carried_differences({}, catalog()).empty());
}

// Total cost 1 000.00 over a forecast of 300 units (the engine proposes 3.34):
//   a: surplus 100.00 carried: (1 000.00 - 100.00) / 300 = 3.00;
//   b: deficit 200.00 carried: (1 000.00 + 200.00) / 300 = 4.00;
//   c: surplus 1 500.00 is more than the cost: nothing to cover, 0.00;
//   d: deficit 0.01: 1 000.01 / 300 = 3.3333... rounded up to 3.34;
//   e: no difference: the engine's 3.34; f: no positive volume, g: no proposed price: none.
TEST(AdjustedPrices, CarriedDifferencesMoveTheProposedPrice) {
  UnitCostRow base;
  base.total_cost = eur("1000.00");
  base.forecast_volume = 300;
  base.proposed_price = dec("3.34");
  std::vector<UnitCostRow> rows;
  for (const char* id : {"a", "b", "c", "d", "e", "f", "g"}) {
    rows.push_back(base);
    rows.back().service = id;
  }
  rows[5].forecast_volume = 0;
  rows[6].proposed_price.reset();
  const auto prices = adjusted_prices(
      rows,
      {{"a", eur("100.00")}, {"b", eur("-200.00")}, {"c", eur("1500.00")}, {"d", eur("-0.01")}, {"f", eur("1.00")}});
  EXPECT_EQ(
      prices,
      (PriceTable{{"a", dec("3.00")}, {"b", dec("4.00")}, {"c", dec("0")}, {"d", dec("3.34")}, {"e", dec("3.34")}}));
  EXPECT_EQ(
      adjusted_prices(rows, {}),
      (PriceTable{{"a", dec("3.34")}, {"b", dec("3.34")}, {"c", dec("3.34")}, {"d", dec("3.34")}, {"e", dec("3.34")}}));
}

model::ServiceTerms terms(const std::string& service, model::PriceModel price, model::Window per,
                          std::optional<std::int64_t> forecast) {
  model::ServiceTerms t;
  t.service = service;
  t.price.model = price;
  t.volume.per = per;
  t.volume.forecast = forecast;
  return t;
}

model::Agreement agreement(const std::string& id, int version, const std::string& client, const std::string& from,
                           const std::string& to, std::vector<model::ServiceTerms> services) {
  model::Agreement a;
  a.id = id;
  a.version = version;
  a.client = client;
  a.valid = {parse_date(from), parse_date(to)};
  a.services = std::move(services);
  return a;
}

// For 2027: KTL's version 2 is in force on 1 January 2027 (payslip 6 000 a year; payment
// 200 a month = 2 400; archiving has an agreement price: left out). LVT's only version
// ended on 31 December 2026, the day before: payment 50 a month = 600; its payslip has no
// forecast. ABC's agreement starts in 2028: nothing. AAA (agreement SA-ZZZ) comes first.
TEST(ForecastVolumes, TheVersionInForceOnNewYearsDayListPricedWithAForecast) {
  using model::PriceModel;
  using model::Window;
  model::ContractSet contracts;
  contracts.catalog = catalog();
  contracts.agreements = {
      agreement("SA-KTL", 1, "KTL", "2025-01-01", "2026-12-31",
                {terms("payment", PriceModel::list, Window::month, 100),
                 terms("payslip", PriceModel::list, Window::year, 5000)}),
      agreement("SA-KTL", 2, "KTL", "2027-01-01", "2027-12-31",
                {terms("archiving", PriceModel::unit_price, Window::month, 10),
                 terms("payment", PriceModel::list, Window::month, 200),
                 terms("payslip", PriceModel::list, Window::year, 6000)}),
      agreement("SA-LVT", 1, "LVT", "2026-01-01", "2026-12-31",
                {terms("payslip", PriceModel::list, Window::month, std::nullopt),
                 terms("payment", PriceModel::list, Window::month, 50)}),
      agreement("SA-ABC", 1, "ABC", "2028-01-01", "2028-12-31", {terms("payment", PriceModel::list, Window::month, 9)}),
      agreement("SA-ZZZ", 1, "AAA", "2027-01-01", "2027-12-31", {terms("payment", PriceModel::list, Window::month, 1)}),
  };
  std::vector<std::string> shown;
  for (const auto& v : forecast_volumes(contracts, 2027)) {
    shown.push_back(v.agency + " " + v.service + " " + std::to_string(v.volume));
  }
  EXPECT_EQ(shown,
            (std::vector<std::string>{"AAA payment 12", "KTL payslip 6000", "KTL payment 2400", "LVT payment 600"}));
}

}  // namespace
}  // namespace costcover::costing
