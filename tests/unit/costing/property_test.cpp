// Property test: random cost models (any method, shares and drivers, negative ledger
// amounts, assets) and everything sums: allocation rows, production totals = ledger +
// interest, service table margins, matching TOTAL = sum of rows, unit costs against
// volumes, settlement lines against the difference.
#include <gtest/gtest.h>

#include <random>

#include "costing/costing.hpp"
#include "model_builder.hpp"
#include "render/costing_csv.hpp"

namespace costcover::costing {
namespace {

using namespace costcover::costing::testing;
using model::AllocationMethod;
using model::CentreKind;
using model::CostModel;

class RandomModel {
 public:
  explicit RandomModel(unsigned seed) : random_(seed) {}

  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(random_);
  }
  Decimal decimal(std::int64_t lo_units, std::int64_t hi_units) {
    return Decimal::from_units(between(lo_units, hi_units));
  }

  CostModel model() {
    CostModel m;
    m.year = 2027;
    m.method = static_cast<AllocationMethod>(between(0, 2));
    const auto supports = between(0, 4);
    const auto productions = between(1, 4);
    std::vector<std::string> ids;
    for (std::int64_t i = 0; i < supports; ++i) ids.push_back("S" + std::to_string(i));
    for (std::int64_t i = 0; i < productions; ++i) ids.push_back("P" + std::to_string(i));
    const std::vector<std::string> services = {"s0", "s1", "s2", "s3", "s4"};
    std::vector<std::pair<std::string, Decimal>> driver;
    for (const auto& id : ids) driver.emplace_back(id, decimal(0, 50'000'000));
    driver.emplace_back("P0", decimal(1, 1'000'000));  // a production value is never all zero
    m.drivers = {{"d", driver}};
    for (std::int64_t i = 0; i < supports; ++i) {
      model::CostCentre c;
      c.id = ids[static_cast<std::size_t>(i)];
      c.kind = CentreKind::support;
      if (between(0, 1) == 0) {
        c.driver = "d";
      } else {
        for (const auto& id : ids)
          if (between(0, 2) > 0) c.shares.emplace_back(id, decimal(0, 1'000'000));
        c.shares.emplace_back("P" + std::to_string(between(0, productions - 1)), decimal(1, 1'000'000));
      }
      m.centres.push_back(c);
    }
    for (std::int64_t i = 0; i < productions; ++i) {
      model::CostCentre c;
      c.id = "P" + std::to_string(i);
      for (const auto& s : services)
        if (between(0, 2) == 0) c.services.emplace_back(s, decimal(0, 1'000'000));
      c.services.emplace_back(services[static_cast<std::size_t>(between(0, 4))], decimal(1, 1'000'000));
      m.centres.push_back(c);
    }
    m.cost_types = standard_cost_types();
    m.imputed_interest_rate = decimal(0, 100'000);
    for (const auto& id : ids)
      if (between(0, 2) == 0) m.assets.push_back({"asset-" + id, id, Money::from_cents(between(0, 100'000'000))});
    for (const auto& s : services)
      if (between(0, 3) > 0) m.forecast_volumes.emplace_back(s, between(0, 2'000'000));
    m.settlement_mode = model::SettlementMode::settle;
    m.threshold_percent = decimal(0, 3'000'000);
    ids_ = ids;
    return m;
  }

  std::vector<LedgerTotal> ledger() {
    static const std::vector<std::string> accounts = {"4000 M", "4100 P", "4300 R", "4400 S", "6800 D", "9000 O"};
    std::vector<LedgerTotal> rows;
    for (const auto& id : ids_)
      for (const auto& account : accounts)
        if (between(0, 1) == 0) rows.push_back({id, account, Money::from_cents(between(-5'000'000, 500'000'000))});
    return rows;
  }

 private:
  std::mt19937 random_;
  std::vector<std::string> ids_;
};

void check_everything_sums(const CostModel& model, const std::vector<LedgerTotal>& rows, RandomModel& random) {
  const Allocation a = allocate_costs(model, rows);
  const Money expected = a.ledger_total + a.imputed_interest;

  // allocation.csv
  Money production_total;
  Money received_sum;
  Money allocated_sum;
  for (const AllocationRow& r : allocation_rows(a)) {
    if (r.kind == CentreKind::support) {
      EXPECT_EQ(r.allocated_out, r.own_cost + r.received) << r.cost_centre;
      EXPECT_EQ(r.total_cost, r.allocated_out);
    } else {
      EXPECT_EQ(r.allocated_out, Money());
      EXPECT_EQ(r.total_cost, r.own_cost + r.received);
      production_total += r.total_cost;
    }
    received_sum += r.received;
    allocated_sum += r.allocated_out;
    const CentreAllocation* exact = a.centre(r.cost_centre);
    EXPECT_LT(abs(cents_of(r.received) - exact->received), Rational(1)) << r.cost_centre;
  }
  EXPECT_EQ(production_total, expected);
  EXPECT_EQ(received_sum, allocated_sum);

  // service table
  const auto services = service_cost_rows(a);
  Money service_total;
  std::array<Money, kCategoryCount> columns{};
  for (std::size_t i = 0; i < services.size(); ++i) {
    service_total += services[i].total();
    EXPECT_LT(abs(cents_of(services[i].total()) - a.services[i].total()), Rational(1)) << services[i].service;
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      columns[k] += services[i].cost[k];
      EXPECT_LT(abs(cents_of(services[i].cost[k]) - a.services[i].cost[k]), Rational(1));
    }
  }
  EXPECT_EQ(service_total, expected);
  for (std::size_t k = 0; k < kCategoryCount; ++k) {
    Rational exact = 0;
    for (const auto& s : a.services) exact += s.cost[k];
    EXPECT_LT(abs(cents_of(columns[k]) - exact), Rational(1)) << to_string(static_cast<CostCategory>(k));
    if (is_integer(exact)) {
      EXPECT_EQ(cents_of(columns[k]), exact);
    }
  }

  // unit costs
  for (const UnitCostRow& u : unit_cost_rows(services, model)) {
    EXPECT_EQ(u.direct_cost + u.support_cost + u.capital_cost, u.total_cost);
    if (!u.unit_cost) continue;
    const Money back = multiply_round(*u.forecast_volume, *u.unit_cost);
    EXPECT_LE(std::abs((back - u.total_cost).cents()), *u.forecast_volume / 200 + 1) << u.service;
    EXPECT_GE(multiply_round(*u.forecast_volume, *u.proposed_price), u.total_cost) << u.service;
    EXPECT_LT((multiply_round(*u.forecast_volume, *u.proposed_price) - u.total_cost).cents(), *u.forecast_volume + 1);
  }

  // matching
  std::vector<std::pair<std::string, Money>> revenue;
  for (const auto& s : services) revenue.emplace_back(s.service, Money::from_cents(random.between(0, 900'000'000)));
  const auto matching = matching_rows(a.year, services, revenue);
  MatchingRow sum;
  for (std::size_t i = 0; i + 1 < matching.size(); ++i) {
    const MatchingRow& r = matching[i];
    sum.revenue += r.revenue;
    for (std::size_t k = 0; k < kCategoryCount; ++k) sum.cost[k] += r.cost[k];
    EXPECT_EQ(r.total_cost(), services[i].total());

    // settlement of this service over random agencies
    std::vector<std::pair<std::string, Money>> invoiced;
    for (int agency = 0; agency < 5; ++agency)
      invoiced.emplace_back("A" + std::to_string(agency), Money::from_cents(random.between(-100, 50'000'000)));
    invoiced.emplace_back("A0", Money::from_cents(1));
    const SettlementPlan plan = plan_settlement(model, r, invoiced);
    if (plan.decision == SettlementDecision::settle) {
      Money lines;
      for (const auto& line : plan.lines) lines += line.amount;
      EXPECT_EQ(lines, -plan.surplus);
      EXPECT_EQ(plan.revenue + lines - plan.total_cost, Money());
    }
  }
  const MatchingRow& total = matching.back();
  EXPECT_EQ(total.service, kTotalRow);
  EXPECT_EQ(total.revenue, sum.revenue);
  EXPECT_EQ(total.cost, sum.cost);
  EXPECT_EQ(total.total_cost(), expected);
}

TEST(Property, RandomModelsSumExactly) {
  RandomModel random(27);
  for (int round = 0; round < 200; ++round) {
    const CostModel model = random.model();
    const auto rows = random.ledger();
    SCOPED_TRACE("round " + std::to_string(round));
    check_everything_sums(model, rows, random);
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(Property, SameInputSameOutput) {
  RandomModel one(5);
  RandomModel two(5);
  for (int round = 0; round < 20; ++round) {
    const CostModel a = one.model();
    const CostModel b = two.model();
    const Allocation x = allocate_costs(a, one.ledger());
    const Allocation y = allocate_costs(b, two.ledger());
    EXPECT_EQ(render::allocation_csv(allocation_rows(x)), render::allocation_csv(allocation_rows(y)));
    EXPECT_EQ(render::unit_costs_csv(unit_cost_rows(x, a)), render::unit_costs_csv(unit_cost_rows(y, b)));
    EXPECT_EQ(render::matching_csv(matching_rows(x, {})), render::matching_csv(matching_rows(y, {})));
  }
}

}  // namespace
}  // namespace costcover::costing
