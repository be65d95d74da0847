// Cost allocation, exact: from the cost model and the ledger totals per cost centre and
// account, allocate support centres to production centres (direct, step_down or
// reciprocal), production centres to services by working-time shares, with imputed
// interest added through each asset's cost centre. Every amount in an Allocation is an
// exact rational number of cents; rounding to the cent happens only in the outputs
// (outputs.hpp). Invariants checked on every run (InvariantError if broken):
//   - a support centre's allocated_out equals own_cost + received;
//   - the production centres' totals sum to ledger total + imputed interest;
//   - the services' costs sum to the same, and each service's categories sum to its cost.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "costing/exact.hpp"
#include "model/model.hpp"

namespace costcover::costing {

// One aggregated ledger figure: the year's sum for a cost centre and account.
struct LedgerTotal {
  std::string cost_centre;
  std::string account;
  Money amount;
};

// The columns of the cost-revenue matching calculation, in matching.csv order. The first
// five are direct costs, the last four common costs.
enum class CostCategory {
  materials,
  personnel,
  rents,
  purchased_services,
  other_direct,
  support_functions,
  depreciation,
  imputed_interest,
  other_common,
};
inline constexpr std::size_t kCategoryCount = 9;
inline constexpr std::size_t kDirectCategoryCount = 5;
[[nodiscard]] std::string to_string(CostCategory category);  // "purchased_services"
[[nodiscard]] constexpr std::size_t index_of(CostCategory category) { return static_cast<std::size_t>(category); }
[[nodiscard]] constexpr bool is_direct(CostCategory category) { return index_of(category) < kDirectCategoryCount; }

// The cost type of a ledger account by the model's cost_types, longest prefix wins (ties:
// the type listed first); nothing when no prefix matches. The same as
// CostModel::find_cost_type, which allocate_costs() uses; kept as costing's name for it.
[[nodiscard]] inline std::optional<std::string> cost_type_for(const model::CostModel& model,
                                                              const std::string& account) {
  return model.find_cost_type(account);
}

// Where a cost of a given type, originating in a centre of a given kind, is reported:
// production centres' own costs are direct (by type), except depreciation; every
// depreciation account is `depreciation` and every imputed interest `imputed_interest`,
// wherever it originates; support centres' other costs are `support_functions`. Types
// other than materials, personnel, rents, purchased_services and depreciation (e.g.
// "other") are `other_direct` in a production centre.
inline constexpr const char* kInterestType = "imputed_interest";
[[nodiscard]] CostCategory category_of(model::CentreKind origin, const std::string& cost_type);

struct AssetInterest {
  std::string asset;
  std::string cost_centre;
  Money book_value;
  Money interest;  // book value x rate, rounded half away from zero to the cent
};

struct CentreAllocation {
  std::string id;
  model::CentreKind kind = model::CentreKind::production;
  Rational own_cost;       // ledger + imputed interest (whole cents)
  Rational received;       // from support centres
  Rational allocated_out;  // support: everything it had (own + received); production: 0
  [[nodiscard]] Rational total_cost() const {
    return kind == model::CentreKind::support ? allocated_out : own_cost + received;
  }
};

// One edge of the allocation: a support centre's amount passed to another centre.
struct Flow {
  std::string from;
  std::string to;
  Rational amount;
};

struct ServiceAllocation {
  std::string service;
  std::array<Rational, kCategoryCount> cost;  // by CostCategory
  [[nodiscard]] Rational total() const;
};

struct Allocation {
  int year = 0;
  model::AllocationMethod method = model::AllocationMethod::direct;
  Money ledger_total;
  Money imputed_interest;
  std::vector<AssetInterest> interest;
  std::vector<CentreAllocation> centres;  // model order
  std::vector<Flow> flows;                // by support centre (model order), then target (model order)
  std::vector<ServiceAllocation> services;
  [[nodiscard]] const CentreAllocation* centre(const std::string& id) const;
  [[nodiscard]] const ServiceAllocation* service(const std::string& id) const;
};

struct AllocationOptions {
  // Services are those named in forecast_volumes or in a production centre's services.
  // Those listed here come first, in this order (e.g. catalog order; names the model does
  // not know are skipped); the others follow in the order of forecast_volumes, then of
  // first appearance in the centres' services.
  std::vector<std::string> service_order;
};

// Allocates the ledger by the model. Input problems (unknown cost centre in the ledger, an
// allocation with nowhere to go, an unknown driver, a negative driver value, support
// centres that only serve each other, ...) are collected and thrown together as
// InputError, each with the model location of the centre it names.
[[nodiscard]] Allocation allocate_costs(const model::CostModel& model, const std::vector<LedgerTotal>& ledger,
                                        const AllocationOptions& options = {});

}  // namespace costcover::costing
