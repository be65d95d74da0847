// The allocation as linear algebra over exact rationals. Each support centre s passes
// everything it has to other centres in fixed proportions a[s][c] (its shares or driver
// values, its own share left out, normalised over the targets the method allows):
//   direct      production centres only;
//   step_down   production centres and support centres listed after s;
//   reciprocal  every other centre.
// With S the support centres and P the production centres, the support totals x solve
//   x = own_S + A_SS^T x,  i.e.  (I - A_SS^T) x = own_S,
// and the share of a support centre's own cost that ends up in each production centre
// (its "reach") solves (I - A_SS) R = A_SP. Both systems are solved by Gauss-Jordan
// elimination over rationals: exact, no precision limit. For direct and step_down A_SS is
// zero or strictly triangular, so the same code gives the usual sequential results.
// The reach lets every euro keep its origin (centre and cost type) on its way to a
// service, which is what the matching calculation reports.
#include "costing/allocation.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "model/cost_model_names.hpp"

namespace costcover::costing {

using model::AllocationMethod;
using model::CentreKind;
using model::CostCentre;
using model::CostModel;

std::string to_string(CostCategory category) {
  switch (category) {
    case CostCategory::materials:
      return "materials";
    case CostCategory::personnel:
      return "personnel";
    case CostCategory::rents:
      return "rents";
    case CostCategory::purchased_services:
      return "purchased_services";
    case CostCategory::other_direct:
      return "other_direct";
    case CostCategory::support_functions:
      return "support_functions";
    case CostCategory::depreciation:
      return "depreciation";
    case CostCategory::imputed_interest:
      return "imputed_interest";
    case CostCategory::other_common:
      return "other_common";
  }
  throw std::logic_error("unknown cost category");
}

CostCategory category_of(CentreKind origin, const std::string& cost_type) {
  if (cost_type == "depreciation") return CostCategory::depreciation;
  if (cost_type == kInterestType) return CostCategory::imputed_interest;
  if (origin == CentreKind::support) return CostCategory::support_functions;
  if (cost_type == "materials") return CostCategory::materials;
  if (cost_type == "personnel") return CostCategory::personnel;
  if (cost_type == "rents") return CostCategory::rents;
  if (cost_type == "purchased_services") return CostCategory::purchased_services;
  return CostCategory::other_direct;
}

Rational ServiceAllocation::total() const {
  Rational sum = 0;
  for (const Rational& part : cost) sum += part;
  return sum;
}

const CentreAllocation* Allocation::centre(const std::string& id) const {
  for (const auto& c : centres)
    if (c.id == id) return &c;
  return nullptr;
}

const ServiceAllocation* Allocation::service(const std::string& id) const {
  for (const auto& s : services)
    if (s.service == id) return &s;
  return nullptr;
}

namespace {

using Matrix = std::vector<std::vector<Rational>>;

// Solves M X = B (M square, B with any number of columns) by Gauss-Jordan elimination.
// Returns nothing when M is singular.
std::optional<Matrix> solve(Matrix m, Matrix b) {
  const std::size_t n = m.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    while (pivot < n && m[pivot][col] == 0) ++pivot;
    if (pivot == n) return std::nullopt;
    std::swap(m[pivot], m[col]);
    std::swap(b[pivot], b[col]);
    const Rational inverse = Rational(1) / m[col][col];
    for (auto& v : m[col]) v *= inverse;
    for (auto& v : b[col]) v *= inverse;
    for (std::size_t row = 0; row < n; ++row) {
      if (row == col || m[row][col] == 0) continue;
      const Rational factor = m[row][col];
      for (std::size_t k = 0; k < n; ++k) m[row][k] -= factor * m[col][k];
      for (std::size_t k = 0; k < b[row].size(); ++k) b[row][k] -= factor * b[col][k];
    }
  }
  return b;
}

struct Findings {
  std::vector<Finding> list;
  void add(const Location& where, std::string message) { list.push_back({where, std::move(message)}); }
};

class Allocator {
 public:
  Allocator(const CostModel& model, const std::vector<LedgerTotal>& ledger, const AllocationOptions& options)
      : model_(model), ledger_(ledger), options_(options) {}

  Allocation run() {
    index_centres();
    read_ledger();
    add_interest();
    build_weights();
    check_reachability();
    if (!findings_.list.empty()) throw InputError(findings_.list);
    solve_supports();
    build_services();
    if (!findings_.list.empty()) throw InputError(findings_.list);
    check_invariants();
    return std::move(out_);
  }

 private:
  [[nodiscard]] Location model_location() const { return Location{model_.source_file, 0, 0}; }
  [[nodiscard]] const CostCentre& centre(std::size_t i) const { return model_.centres[i]; }
  [[nodiscard]] bool is_support(std::size_t i) const { return centre(i).kind == CentreKind::support; }

  void index_centres() {
    for (std::size_t i = 0; i < model_.centres.size(); ++i) {
      const CostCentre& c = model_.centres[i];
      if (!index_.emplace(c.id, i).second) findings_.add(c.where, "cost centre " + c.id + " is listed twice");
      (is_support(i) ? supports_ : productions_).push_back(i);
      position_.push_back(is_support(i) ? supports_.size() - 1 : productions_.size() - 1);
    }
    own_.resize(model_.centres.size());
  }

  void read_ledger() {
    Integer total = 0;
    for (const LedgerTotal& row : ledger_) {
      total += row.amount.cents();
      const auto found = index_.find(row.cost_centre);
      if (found == index_.end()) {
        findings_.add(model_location(), "ledger cost centre \"" + row.cost_centre + "\" (account \"" + row.account +
                                            "\", " + row.amount.to_string() + ") is not in the cost model");
        continue;
      }
      const std::optional<std::string> type = model_.find_cost_type(row.account);
      if (!type) {
        findings_.add(model_location(), "ledger account \"" + row.account + "\" of cost centre " + row.cost_centre +
                                            " matches no cost_types prefix (add \"\" to catch everything)");
        continue;
      }
      own_[found->second][*type] += row.amount.cents();
    }
    out_.ledger_total = money_of(total);
  }

  void add_interest() {
    Integer total = 0;
    for (const model::Asset& asset : model_.assets) {
      const auto found = index_.find(asset.cost_centre);
      if (found == index_.end()) {
        findings_.add(model_location(),
                      "asset " + asset.id + ": cost centre \"" + asset.cost_centre + "\" is not in the cost model");
        continue;
      }
      const Money interest = multiply_round(asset.book_value, model_.imputed_interest_rate);
      out_.interest.push_back({asset.id, asset.cost_centre, asset.book_value, interest});
      own_[found->second][kInterestType] += interest.cents();
      total += interest.cents();
    }
    out_.imputed_interest = money_of(total);
  }

  // Raw weights of a support centre over all centres (its own left out), then normalised
  // over the targets the method allows.
  void build_weights() {
    weights_.assign(model_.centres.size(), std::vector<Rational>(model_.centres.size()));
    for (std::size_t s : supports_) {
      const CostCentre& c = centre(s);
      std::vector<Rational> raw(model_.centres.size());
      if (!c.driver.empty()) {
        const auto driver = std::find_if(model_.drivers.begin(), model_.drivers.end(),
                                         [&](const auto& d) { return d.first == c.driver; });
        if (driver == model_.drivers.end()) {
          findings_.add(c.where, "cost centre " + c.id + " allocates by driver \"" + c.driver +
                                     "\", which is not defined under drivers");
          continue;
        }
        add_raw(c, driver->second, "driver " + c.driver, raw);
      } else if (!c.shares.empty()) {
        add_raw(c, c.shares, "shares", raw);
      } else {
        findings_.add(c.where, "support cost centre " + c.id + " has neither a driver nor shares to allocate by");
        continue;
      }
      Rational allowed_sum = 0;
      for (std::size_t t = 0; t < raw.size(); ++t)
        if (allowed(s, t)) allowed_sum += raw[t];
      if (allowed_sum <= 0) {
        findings_.add(c.where, "support cost centre " + c.id + " has nothing to allocate to under " +
                                   model::to_string(model_.method) + ": " + no_target_reason());
        continue;
      }
      for (std::size_t t = 0; t < raw.size(); ++t)
        if (allowed(s, t)) weights_[s][t] = raw[t] / allowed_sum;
    }
  }

  void add_raw(const CostCentre& c, const std::vector<std::pair<std::string, Decimal>>& values, const std::string& what,
               std::vector<Rational>& raw) {
    for (const auto& [target, value] : values) {
      const auto found = index_.find(target);
      if (found == index_.end()) {
        findings_.add(c.where, "cost centre " + c.id + ": " + what + " names \"" + target +
                                   "\", which is not a cost centre of the model");
        continue;
      }
      if (value < Decimal()) {
        findings_.add(c.where, "cost centre " + c.id + ": " + what + " gives " + target + " the negative value " +
                                   value.to_string());
        continue;
      }
      if (found->second == index_.at(c.id)) continue;  // a centre's own share is left out
      raw[found->second] += rational_of(value);
    }
  }

  [[nodiscard]] std::string no_target_reason() const {
    switch (model_.method) {
      case AllocationMethod::direct:
        return "none of its targets is a production centre";
      case AllocationMethod::step_down:
        return "its targets are all support centres already closed (listed before it) or itself";
      case AllocationMethod::reciprocal:
        return "all its shares or driver values are zero or its own";
    }
    return "";
  }

  [[nodiscard]] bool allowed(std::size_t from, std::size_t to) const {
    if (from == to) return false;
    if (!is_support(to)) return true;
    switch (model_.method) {
      case AllocationMethod::direct:
        return false;
      case AllocationMethod::step_down:
        return to > from;
      case AllocationMethod::reciprocal:
        return true;
    }
    return false;
  }

  // Every support centre must pass its costs, possibly through other support centres, to
  // some production centre; otherwise the equations have no solution.
  void check_reachability() {
    if (!findings_.list.empty()) return;
    std::vector<std::size_t> stuck;
    for (std::size_t s : supports_) {
      std::set<std::size_t> seen{s};
      std::vector<std::size_t> todo{s};
      bool reaches = false;
      while (!todo.empty() && !reaches) {
        const std::size_t at = todo.back();
        todo.pop_back();
        for (std::size_t t = 0; t < model_.centres.size(); ++t) {
          if (weights_[at][t] == 0 || seen.count(t) > 0) continue;
          if (!is_support(t)) {
            reaches = true;
            break;
          }
          seen.insert(t);
          todo.push_back(t);
        }
      }
      if (!reaches) stuck.push_back(s);
    }
    if (stuck.empty()) return;
    std::string names;
    for (std::size_t s : stuck) names += (names.empty() ? "" : ", ") + centre(s).id;
    findings_.add(centre(stuck.front()).where, "support cost centres " + names +
                                                   " pass their costs only among themselves; nothing reaches a "
                                                   "production centre");
  }

  [[nodiscard]] Rational own_total(std::size_t i) const {
    Rational sum = 0;
    for (const auto& [type, cents] : own_[i]) sum += Rational(cents);
    return sum;
  }

  void solve_supports() {
    const std::size_t k = supports_.size();
    Matrix m(k, std::vector<Rational>(k));   // I - A_SS
    Matrix mt(k, std::vector<Rational>(k));  // its transpose
    Matrix a_sp(k, std::vector<Rational>(productions_.size()));
    Matrix own_s(k, std::vector<Rational>(1));
    for (std::size_t i = 0; i < k; ++i) {
      own_s[i][0] = own_total(supports_[i]);
      for (std::size_t j = 0; j < k; ++j) {
        const Rational value = (i == j ? Rational(1) : Rational(0)) - weights_[supports_[i]][supports_[j]];
        m[i][j] = value;
        mt[j][i] = value;
      }
      for (std::size_t q = 0; q < productions_.size(); ++q) a_sp[i][q] = weights_[supports_[i]][productions_[q]];
    }
    std::optional<Matrix> totals = solve(mt, own_s);
    std::optional<Matrix> reach = solve(m, a_sp);
    if (!totals || !reach)
      throw InvariantError(
          "the support centres' equations are singular although every one "
          "reaches a production centre");
    reach_ = std::move(*reach);

    const std::size_t n = model_.centres.size();
    std::vector<Rational> received(n);
    std::vector<Rational> out_total(n);
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t s = supports_[i];
      out_total[s] = (*totals)[i][0];
      for (std::size_t t = 0; t < n; ++t) {
        if (weights_[s][t] == 0) continue;
        const Rational amount = out_total[s] * weights_[s][t];
        received[t] += amount;
        out_.flows.push_back({centre(s).id, centre(t).id, amount});
      }
    }
    out_.year = model_.year;
    out_.method = model_.method;
    for (std::size_t i = 0; i < n; ++i)
      out_.centres.push_back({centre(i).id, centre(i).kind, own_total(i), received[i], out_total[i]});
  }

  // The share of origin centre o's own costs that reaches production centre p.
  [[nodiscard]] Rational reach(std::size_t origin, std::size_t production) const {
    if (!is_support(origin)) return origin == production ? Rational(1) : Rational(0);
    return reach_[position_[origin]][position_[production]];
  }

  void add_service(const std::string& id) {
    if (service_index_.count(id) > 0) return;
    service_index_.emplace(id, out_.services.size());
    out_.services.push_back({id, {}});
  }

  void build_services() {
    std::set<std::string> known;
    for (const auto& [service, volume] : model_.forecast_volumes) known.insert(service);
    for (std::size_t p : productions_)
      for (const auto& [service, share] : centre(p).services) known.insert(service);
    for (const std::string& id : options_.service_order)
      if (known.count(id) > 0) add_service(id);
    for (const auto& [service, volume] : model_.forecast_volumes) add_service(service);
    for (std::size_t p : productions_)
      for (const auto& [service, share] : centre(p).services) add_service(service);

    for (std::size_t p : productions_) {
      // What production centre p holds, by category.
      std::array<Rational, kCategoryCount> held{};
      bool holds_anything = false;
      for (std::size_t o = 0; o < model_.centres.size(); ++o) {
        const Rational r = reach(o, p);
        if (r == 0) continue;
        for (const auto& [type, cents] : own_[o]) {
          if (cents == 0) continue;
          held[index_of(category_of(centre(o).kind, type))] += Rational(cents) * r;
          holds_anything = true;
        }
      }
      const CostCentre& c = centre(p);
      Rational share_sum = 0;
      bool negative = false;
      for (const auto& [service, share] : c.services) {
        if (share < Decimal()) {
          findings_.add(
              c.where, "cost centre " + c.id + ": service " + service + " has the negative share " + share.to_string());
          negative = true;
        }
        share_sum += rational_of(share);
      }
      if (negative) continue;
      if (share_sum == 0) {
        if (holds_anything)
          findings_.add(c.where, "production cost centre " + c.id + " has costs (" +
                                     euros_text(out_.centres[p].total_cost()) +
                                     ") but no service shares to "
                                     "pass them to");
        continue;
      }
      for (const auto& [service, share] : c.services) {
        const Rational fraction = rational_of(share) / share_sum;
        ServiceAllocation& target = out_.services[service_index_.at(service)];
        for (std::size_t k = 0; k < kCategoryCount; ++k) target.cost[k] += held[k] * fraction;
      }
    }
  }

  void check_invariants() const {
    const Rational expected = cents_of(out_.ledger_total) + cents_of(out_.imputed_interest);
    Rational production_sum = 0;
    for (const CentreAllocation& c : out_.centres) {
      if (c.kind == CentreKind::support) {
        if (c.allocated_out != c.own_cost + c.received)
          throw InvariantError("support centre " + c.id + " allocated " + euros_text(c.allocated_out, 6) + " but had " +
                               euros_text(c.own_cost + c.received, 6));
      } else {
        production_sum += c.total_cost();
      }
    }
    if (production_sum != expected)
      throw InvariantError("production centres total " + euros_text(production_sum, 6) +
                           " but ledger total plus imputed interest is " + euros_text(expected, 6));
    Rational service_sum = 0;
    for (const ServiceAllocation& s : out_.services) service_sum += s.total();
    if (service_sum != expected)
      throw InvariantError("services total " + euros_text(service_sum, 6) +
                           " but ledger total plus imputed interest is " + euros_text(expected, 6));
  }

  const CostModel& model_;
  const std::vector<LedgerTotal>& ledger_;
  const AllocationOptions& options_;
  Findings findings_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::size_t> supports_;
  std::vector<std::size_t> productions_;
  std::vector<std::size_t> position_;                // index within supports_ or productions_
  std::vector<std::map<std::string, Integer>> own_;  // centre -> cost type -> cents
  Matrix weights_;                                   // support -> centre, normalised
  Matrix reach_;                                     // support position -> production position
  std::map<std::string, std::size_t> service_index_;
  Allocation out_;
};

}  // namespace

Allocation allocate_costs(const CostModel& model, const std::vector<LedgerTotal>& ledger,
                          const AllocationOptions& options) {
  return Allocator(model, ledger, options).run();
}

}  // namespace costcover::costing
