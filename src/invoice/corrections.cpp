#include "invoice/corrections.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace costcover::invoice {
namespace {

int kind_rank(const std::string& kind) {
  static const std::vector<std::string> kOrder{"usage", "over_limit", "true_up",   "sla_credit",
                                               "fee",   "charge",     "settlement"};
  const auto found = std::find(kOrder.begin(), kOrder.end(), kind);
  return static_cast<int>(found - kOrder.begin());
}

std::string vat_key(const model::Vat& vat) {
  return model::vat_code(vat.category) + "/" + (vat.rate ? vat.rate->to_string(2) : "");
}

using VolumeKey = std::tuple<std::string, Date, std::string, int>;  // service, day, tags, business_days

struct Group {
  int service_rank = 0;
  int kind_rank = 0;
  std::string kind;
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

std::string signed_units(std::int64_t quantity) {
  return fmt::format("{}{} unit{}", quantity > 0 ? "+" : "", quantity, (quantity == 1 || quantity == -1) ? "" : "s");
}

}  // namespace

bool is_priced_kind(const std::string& kind) { return kind == "usage" || kind == "over_limit" || kind == "true_up"; }

std::vector<Line> correction_lines(Month period, const std::vector<FinalInvoiceRef>& finals,
                                   const std::vector<Line>& rerated, const std::vector<BilledLine>& billed,
                                   const model::Catalog& catalog, const std::string& language) {
  if (finals.empty()) throw InvariantError("correction_lines for " + period.to_string() + " without a final invoice");
  std::map<std::tuple<int, int, std::string, std::string, std::string, std::string>, Group> groups;
  auto group_of = [&](const std::string& kind, const std::string& service, const std::string& price_source,
                      Decimal unit_price, const model::Vat& vat) -> Group& {
    const bool priced = is_priced_kind(kind);
    const int service_rank = service.empty() ? 1'000'000 : catalog.order_of(service);
    auto key = std::make_tuple(service_rank, kind_rank(kind), service, price_source,
                               priced ? unit_price.to_string(4) : std::string(), vat_key(vat));
    auto [it, added] = groups.try_emplace(key);
    if (added) {
      it->second.service_rank = service_rank;
      it->second.kind_rank = kind_rank(kind);
      it->second.kind = kind;
      it->second.service = service;
      it->second.price_source = price_source;
      it->second.unit_price = unit_price;
      it->second.vat = vat;
    }
    return it->second;
  };
  for (const auto& line : rerated) {
    if (line.kind == "correction" || line.kind == "settlement") continue;
    Group& group = group_of(line.kind, line.service, line.price_source, line.unit_price, line.vat);
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
  for (const auto& line : billed) {
    if (line.kind == "settlement") continue;
    Group& group = group_of(line.kind, line.service, line.price_source, line.unit_price, line.vat);
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

  std::vector<Line> out;
  for (auto& [key, group] : groups) {
    const bool priced = is_priced_kind(group.kind);
    Line line;
    line.kind = "correction";
    line.corrected_kind = group.kind;
    line.service = group.service;
    line.vat = group.vat;
    line.agreement_id = group.agreement_id;
    line.agreement_version = group.agreement_version;
    line.price_source = group.price_source;
    line.exception_id = group.exception_id;
    line.exception_reason = group.exception_reason;
    const VatGroup vat_group = vat_group_of(group.vat);
    const auto original =
        std::find_if(finals.begin(), finals.end(), [&](const FinalInvoiceRef& ref) { return ref.group == vat_group; });
    const FinalInvoiceRef& target = original != finals.end() ? *original : finals.front();
    line.corrects_invoice_id = target.id;
    std::string what;
    if (!group.service.empty()) {
      const auto* service = catalog.find(group.service);
      what = service ? service->name_in(language) : group.service;
      what += ", " + group.kind;
    } else {
      what = group.kind + " (" + group.price_source + ")";
    }
    if (priced) {
      const std::int64_t delta = group.rerated_quantity - group.billed_quantity;
      if (delta == 0) continue;
      line.quantity = delta;
      line.unit_price = group.unit_price;
      line.amount = multiply_round(delta, group.unit_price);
      line.exact_amount = Decimal::from_units(delta * group.unit_price.units());
      line.description = fmt::format("Correction to invoice {} ({}): {} {} at {}", target.number, period.to_string(),
                                     what, signed_units(delta), group.unit_price.to_string(4));
      for (const auto& [volume_key, entry] : group.volumes) {
        if (entry.first == 0) continue;
        line.volumes.push_back(LineVolume{entry.second, std::get<0>(volume_key), std::get<1>(volume_key),
                                          std::get<2>(volume_key), std::get<3>(volume_key), entry.first});
      }
    } else {
      const Money delta = group.rerated_amount - group.billed_amount;
      if (delta == Money{}) continue;
      line.quantity = 1;
      line.unit_price = Decimal::from_money(delta);
      line.amount = delta;
      line.exact_amount = line.unit_price;
      line.description = fmt::format("Correction to invoice {} ({}): {} {}{}", target.number, period.to_string(), what,
                                     delta > Money{} ? "+" : "", delta.to_string());
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace costcover::invoice
