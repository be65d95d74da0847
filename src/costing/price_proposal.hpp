// Price proposal helpers: the proposed prices out of unit_costs rows (the price list YAML
// they become is written by render/costing_csv.hpp), and the what-if table for account
// managers: what each agency pays at its forecast volumes under this year's prices and
// under the proposed ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "costing/outputs.hpp"

namespace costcover::costing {

using PriceTable = std::vector<std::pair<std::string, Decimal>>;  // service -> euros per unit

// Services with a proposed price, in row order.
[[nodiscard]] PriceTable proposed_prices(const std::vector<UnitCostRow>& rows);

struct AgencyVolume {
  std::string agency;
  std::string service;
  std::int64_t volume = 0;  // forecast units for the year
};

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
