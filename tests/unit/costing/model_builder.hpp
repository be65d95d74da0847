// Small helpers to write cost models in C++ tests (the YAML loader is tested elsewhere).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "costing/allocation.hpp"
#include "model/model.hpp"

namespace costcover::costing::testing {

using Pairs = std::vector<std::pair<std::string, std::string>>;  // id -> decimal text

inline std::vector<std::pair<std::string, Decimal>> decimals(const Pairs& pairs) {
  std::vector<std::pair<std::string, Decimal>> out;
  for (const auto& [id, text] : pairs) out.emplace_back(id, Decimal::parse(text));
  return out;
}

inline model::CostCentre support_by_driver(const std::string& id, const std::string& driver) {
  model::CostCentre c;
  c.id = id;
  c.kind = model::CentreKind::support;
  c.driver = driver;
  return c;
}

inline model::CostCentre support_by_shares(const std::string& id, const Pairs& shares) {
  model::CostCentre c;
  c.id = id;
  c.kind = model::CentreKind::support;
  c.shares = decimals(shares);
  return c;
}

inline model::CostCentre production(const std::string& id, const Pairs& services) {
  model::CostCentre c;
  c.id = id;
  c.kind = model::CentreKind::production;
  c.services = decimals(services);
  return c;
}

inline std::vector<std::pair<std::string, std::vector<std::string>>> standard_cost_types() {
  return {{"materials", {"40"}},          {"personnel", {"41", "42"}}, {"rents", {"43"}},
          {"purchased_services", {"44"}}, {"depreciation", {"68"}},    {"other", {""}}};
}

inline LedgerTotal ledger(const std::string& centre, const std::string& account, const std::string& amount) {
  return {centre, account, Money::parse(amount)};
}

inline Money eur(const std::string& text) { return Money::parse(text); }

// The data set:
//   own costs (ledger):  MGMT 100 000.00, ICT 200 000.00, AP 300 000.00, PAY 400 000.00
//                        (total 1 000 000.00)
//   MGMT allocates by the driver fte {MGMT 4, ICT 6, AP 14, PAY 20}: its own 4 is left
//     out, so of 40: ICT 6/40 = 0.15, AP 14/40 = 0.35, PAY 20/40 = 0.50.
//   ICT allocates by shares {MGMT 0.10, AP 0.50, PAY 0.40}.
//   AP works for purchase-invoice 0.85 and travel-claim 0.15; PAY for payslip 1.0.
//   Salaries (41xx) everywhere except ICT, whose costs are purchased services (44xx).
inline model::CostModel sample_model(model::AllocationMethod method) {
  model::CostModel m;
  m.year = 2027;
  m.method = method;
  m.centres = {support_by_driver("MGMT", "fte"),
               support_by_shares("ICT", {{"MGMT", "0.10"}, {"AP", "0.50"}, {"PAY", "0.40"}}),
               production("AP", {{"purchase-invoice", "0.85"}, {"travel-claim", "0.15"}}),
               production("PAY", {{"payslip", "1.0"}})};
  m.drivers = {{"fte", decimals({{"MGMT", "4"}, {"ICT", "6"}, {"AP", "14"}, {"PAY", "20"}})}};
  m.cost_types = standard_cost_types();
  m.forecast_volumes = {{"purchase-invoice", 100000}, {"travel-claim", 20000}, {"payslip", 50000}};
  m.settlement_mode = model::SettlementMode::settle;
  m.threshold_percent = Decimal::parse("1.0");
  return m;
}

inline std::vector<LedgerTotal> sample_ledger() {
  return {ledger("MGMT", "4100 Salaries", "100000.00"), ledger("ICT", "4400 ICT services", "200000.00"),
          ledger("AP", "4100 Salaries", "300000.00"), ledger("PAY", "4100 Salaries", "400000.00")};
}

}  // namespace costcover::costing::testing
