// Price proposal helpers: the proposed prices out of unit_costs rows, with the differences
// `settle` carried forward put in (the price list YAML they become is written by
// render/costing_csv.hpp), and the what-if table for account managers: what each agency
// pays at its forecast volumes under this year's prices and under the proposed ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "costing/ledger.hpp"
#include "costing/outputs.hpp"
#include "costing/settlement.hpp"
#include "model/model.hpp"

namespace costcover::costing {

using PriceTable = std::vector<std::pair<std::string, Decimal>>;  // service -> euros per unit

// The year a proposal from the costs of `year` is for: the actual ledger of Y (after the
// year) proposes the prices of Y+1, the budget of Y (before it) those of Y itself.
[[nodiscard]] constexpr int proposed_price_year(CostBasis basis, int year) {
  return basis == CostBasis::budget ? year : year + 1;
}

// Services with a proposed price, in row order.
[[nodiscard]] PriceTable proposed_prices(const std::vector<UnitCostRow>& rows);

// A service's decision as `settle` recorded it for the year (cost_settlement).
struct RecordedDecision {
  std::string service;
  SettlementDecision decision = SettlementDecision::carry_forward;
  Money surplus;  // revenue - cost
};

// A difference of a year that `settle` carried forward: revenue - cost (surplus > 0).
struct CarriedDifference {
  std::string service;
  Money surplus;
};

// The recorded decisions to carry forward, those with a difference (not 0.00), in catalog
// order (services the catalog lacks first; ties keep the input order).
[[nodiscard]] std::vector<CarriedDifference> carried_differences(const std::vector<RecordedDecision>& recorded,
                                                                 const model::Catalog& catalog);

// The proposed prices with the carried differences put in: a service's price becomes the
// cost to cover (total_cost - carried surplus) over its forecast volume, rounded up to the
// cent, and never below 0.00. Services without a carried difference keep the engine's
// proposed price; rows without a proposed price or a positive forecast volume get none.
[[nodiscard]] PriceTable adjusted_prices(const std::vector<UnitCostRow>& rows,
                                         const std::vector<CarriedDifference>& carried);

struct AgencyVolume {
  std::string agency;
  std::string service;
  std::int64_t volume = 0;  // forecast units for the year
};

// Each agency's forecast volumes for the what-if: from each agreement's version in force
// on 1 January of `price_year` (else on the last day of the year before), its services
// priced by the list with a forecast (per month x 12; per year as written). Agencies in id
// order, services in catalog order.
[[nodiscard]] std::vector<AgencyVolume> forecast_volumes(const model::ContractSet& contracts, int price_year);

// One agency and service, or the agency's TOTAL row (service == kTotalRow, volume and
// prices empty) after its services. Amounts are volume x price rounded half away from zero
// to the cent; a missing price counts as 0.00 and leaves the price empty.
struct WhatIfRow {
  std::string agency;
  std::string service;
  std::optional<std::int64_t> volume;
  std::optional<Decimal> current_price;
  std::optional<Decimal> proposed_price;
  Money current_amount;
  Money proposed_amount;
  [[nodiscard]] Money change() const { return proposed_amount - current_amount; }
  // change / current x 100, 2 decimals half away from zero; nothing when current is 0.
  [[nodiscard]] std::optional<Decimal> change_percent() const;
};

// Agencies in order of first appearance, their services likewise; volumes for the same
// agency and service add up.
[[nodiscard]] std::vector<WhatIfRow> price_what_if(const std::vector<AgencyVolume>& volumes,
                                                   const PriceTable& current_prices, const PriceTable& proposed);

}  // namespace costcover::costing
