#include "invoice/corrections.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/phrases.hpp"

namespace costcover::invoice {
namespace {

// Lines without a service (fees and charges billed before they named their service) come
// after every service of the catalog.
constexpr int kNoServiceRank = 1'000'000;

std::string vat_key(const model::Vat& vat) {
  return model::vat_code(vat.category) + "/" + (vat.rate ? vat.rate->to_string(2) : "");
}

using VolumeKey = std::tuple<std::string, Date, std::string, int>;  // service, day, tags, business_days
// service rank, kind rank, service, price source, unit price (priced kinds only), VAT
using GroupKey = std::tuple<int, int, std::string, std::string, std::string, std::string>;

// One group of lines compared: what the re-rating gives against what was billed.
struct Group {
  model::LineKind kind = model::LineKind::usage;
  std::string service;
  std::string price_source;
  Decimal unit_price;
  model::Vat vat;
  std::string agreement_id;
  int agreement_version = 0;
  std::string exception_id;
  std::string exception_reason;
  std::int64_t rerated_quantity = 0;
  std::int64_t billed_quantity = 0;
  Money rerated_amount;
  Money billed_amount;
  std::map<VolumeKey, std::pair<std::int64_t, std::int64_t>> volumes;  // key -> (quantity delta, a daily_volume id)
};

class Groups {
 public:
  explicit Groups(const model::Catalog& catalog) : catalog_(catalog) {}

  void add_rerated(const Line& line) {
    Group& group = of(line.kind, line.service, line.price_source, line.unit_price, line.vat);
    group.rerated_quantity += line.quantity;
    group.rerated_amount += line.amount;
    group.agreement_id = line.agreement_id;
    group.agreement_version = line.agreement_version;
    group.exception_id = line.exception_id;
    group.exception_reason = line.exception_reason;
    for (const auto& volume : line.volumes) {
      auto& entry = group.volumes[{volume.service, volume.day, volume.tags, volume.business_days}];
      entry.first += volume.quantity;
      entry.second = volume.daily_volume_id;
    }
  }

  void add_billed(const BilledLine& line) {
    Group& group = of(line.kind, line.service, line.price_source, line.unit_price, line.vat);
    group.billed_quantity += line.quantity;
    group.billed_amount += line.amount;
    if (group.agreement_id.empty()) {
      group.agreement_id = line.agreement_id;
      group.agreement_version = line.agreement_version;
      group.exception_id = line.exception_id;
    }
    for (const auto& volume : line.volumes) {
      auto& entry = group.volumes[{volume.service, volume.day, volume.tags, volume.business_days}];
      entry.first -= volume.quantity;
      if (entry.second == 0) entry.second = volume.daily_volume_id;
    }
  }

  [[nodiscard]] const std::map<GroupKey, Group>& all() const { return groups_; }

 private:
  Group& of(model::LineKind kind, const std::string& service, const std::string& price_source, Decimal unit_price,
            const model::Vat& vat) {
    const int service_rank = service.empty() ? kNoServiceRank : catalog_.order_of(service);
    GroupKey key{service_rank,
                 model::rank(kind),
                 service,
                 price_source,
                 model::is_priced(kind) ? unit_price.to_string(4) : std::string(),
                 vat_key(vat)};
    auto [it, added] = groups_.try_emplace(std::move(key));
    if (added) {
      it->second.kind = kind;
      it->second.service = service;
      it->second.price_source = price_source;
      it->second.unit_price = unit_price;
      it->second.vat = vat;
    }
    return it->second;
  }

  const model::Catalog& catalog_;
  std::map<GroupKey, Group> groups_;
};

bool compared(model::LineKind kind) {
  return kind != model::LineKind::correction && kind != model::LineKind::settlement;
}

std::string signed_units(std::int64_t quantity, const std::string& language) {
  const bool one = quantity == 1 || quantity == -1;
  return fmt::format("{}{} {}", quantity > 0 ? "+" : "", quantity,
                     phrase(one ? Phrase::unit_one : Phrase::unit_many, language));
}

// "Purchase invoice processing, usage" or "fee (agreement)": what a correction corrects.
std::string corrected_what(const Group& group, const model::Catalog& catalog, const std::string& language) {
  if (group.service.empty()) return model::to_string(group.kind) + " (" + group.price_source + ")";
  const auto* service = catalog.find(group.service);
  return (service ? service->name_in(language) : group.service) + ", " + model::to_string(group.kind);
}

// The final invoice of the month in the group's VAT group (else the first one).
const FinalInvoiceRef& corrected_invoice(const Group& group, const std::vector<FinalInvoiceRef>& finals) {
  const VatGroup vat_group = vat_group_of(group.vat);
  const auto found =
      std::find_if(finals.begin(), finals.end(), [&](const FinalInvoiceRef& ref) { return ref.group == vat_group; });
  return found != finals.end() ? *found : finals.front();
}

// The correction of a group, or nothing when re-rating gives what was billed.
std::optional<Line> correction_of(const Group& group, Month period, const std::vector<FinalInvoiceRef>& finals,
                                  const model::Catalog& catalog, const std::string& language) {
  Line line;
  line.kind = model::LineKind::correction;
  line.corrected_kind = group.kind;
  line.service = group.service;
  line.vat = group.vat;
  line.agreement_id = group.agreement_id;
  line.agreement_version = group.agreement_version;
  line.price_source = group.price_source;
  line.exception_id = group.exception_id;
  line.exception_reason = group.exception_reason;
  const FinalInvoiceRef& target = corrected_invoice(group, finals);
  line.corrects_invoice_id = target.id;
  const std::string what = corrected_what(group, catalog, language);
  if (model::is_priced(group.kind)) {
    const std::int64_t delta = group.rerated_quantity - group.billed_quantity;
    if (delta == 0) return std::nullopt;
    line.quantity = delta;
    line.unit_price = group.unit_price;
    line.amount = multiply_round(delta, group.unit_price);
    line.exact_amount = Decimal::from_units(delta * group.unit_price.units());
    line.description = phrase(Phrase::correction_priced, language, target.number, period.to_string(), what,
                              signed_units(delta, language), group.unit_price.to_string(4));
    for (const auto& [key, entry] : group.volumes) {
      if (entry.first == 0) continue;
      line.volumes.push_back(LineVolume{entry.second, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                        std::get<3>(key), entry.first});
    }
  } else {
    const Money delta = group.rerated_amount - group.billed_amount;
    if (delta == Money{}) return std::nullopt;
    line.quantity = 1;
    line.unit_price = Decimal::from_money(delta);
    line.amount = delta;
    line.exact_amount = line.unit_price;
    line.description = phrase(Phrase::correction_amount, language, target.number, period.to_string(), what,
                              delta > Money{} ? "+" : "", delta.to_string());
  }
  return line;
}

}  // namespace

std::vector<Line> correction_lines(Month period, const std::vector<FinalInvoiceRef>& finals,
                                   const std::vector<Line>& rerated, const std::vector<BilledLine>& billed,
                                   const model::Catalog& catalog, const std::string& language) {
  if (finals.empty()) throw InvariantError("correction_lines for " + period.to_string() + " without a final invoice");
  Groups groups(catalog);
  for (const auto& line : rerated) {
    if (compared(line.kind)) groups.add_rerated(line);
  }
  for (const auto& line : billed) {
    if (compared(line.kind)) groups.add_billed(line);
  }
  std::vector<Line> out;
  for (const auto& [key, group] : groups.all()) {
    if (auto line = correction_of(group, period, finals, catalog, language)) out.push_back(std::move(*line));
  }
  return out;
}

std::vector<model::PriceList> billed_price_lists(std::span<const model::PriceList> lists,
                                                 const std::vector<BilledLine>& billed) {
  std::vector<model::PriceList> out(lists.begin(), lists.end());
  std::set<std::pair<std::string, std::string>> taken;  // (price source, service) already set
  for (const auto& line : billed) {
    if (!model::is_priced(line.kind) || !taken.emplace(line.price_source, line.service).second) continue;
    const auto list = std::find_if(out.begin(), out.end(), [&](const model::PriceList& l) {
      return line.price_source == "list " + std::to_string(l.year);
    });
    if (list == out.end()) continue;
    const auto price = std::find_if(list->prices.begin(), list->prices.end(),
                                    [&](const auto& entry) { return entry.first == line.service; });
    if (price != list->prices.end()) {
      price->second = line.unit_price;
    } else {
      list->prices.emplace_back(line.service, line.unit_price);
    }
  }
  return out;
}

}  // namespace costcover::invoice
