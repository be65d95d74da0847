#include "model/model.hpp"

#include <algorithm>

namespace costcover::model {

std::string vat_code(VatCategory category) {
  switch (category) {
    case VatCategory::standard:
      return "S";
    case VatCategory::zero_rated:
      return "Z";
    case VatCategory::exempt:
      return "E";
    case VatCategory::reverse_charge:
      return "AE";
    case VatCategory::not_subject:
      return "O";
  }
  return "O";
}

std::string to_string(ExceptionKind kind) {
  switch (kind) {
    case ExceptionKind::sla_waiver:
      return "sla_waiver";
    case ExceptionKind::exclude:
      return "exclude";
    case ExceptionKind::price:
      return "price";
    case ExceptionKind::limits_suspended:
      return "limits_suspended";
    case ExceptionKind::charge:
      return "charge";
  }
  return "sla_waiver";
}

std::string Service::name_in(const std::string& language) const {
  for (const auto& [lang, text] : name) {
    if (lang == language) return text;
  }
  return name.empty() ? id : name.front().second;
}

std::string language_of(const std::vector<Agency>& agencies, const std::string& agency) {
  for (const auto& known : agencies) {
    if (known.id == agency) return known.language;
  }
  return "fi";
}

const Service* Catalog::find(const std::string& service_id) const {
  for (const auto& service : services) {
    if (service.id == service_id) return &service;
  }
  return nullptr;
}

int Catalog::order_of(const std::string& service_id) const {
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (services[i].id == service_id) return static_cast<int>(i);
  }
  return -1;
}

std::optional<Decimal> PriceList::price_of(const std::string& service_id) const {
  for (const auto& [service, price] : prices) {
    if (service == service_id) return price;
  }
  return std::nullopt;
}

std::optional<Decimal> list_price(std::span<const PriceList> lists, int year, const std::string& service_id) {
  for (const PriceList& list : lists) {
    if (list.year != year) continue;
    if (std::optional<Decimal> price = list.price_of(service_id)) return price;
  }
  return std::nullopt;
}

bool same_vat(const Vat& a, const Vat& b) {
  return a.category == b.category && a.rate == b.rate && a.exemption_reason == b.exemption_reason;
}

bool AgreementException::applies_to_service(const std::string& service_id) const {
  return services.empty() || std::find(services.begin(), services.end(), service_id) != services.end();
}

bool AgreementException::applies_on(Date day) const {
  if (date) return *date == day;
  return in_period(day);
}

bool AgreementException::in_period(Date day) const { return !period || period->contains(day); }

const ServiceTerms* Agreement::terms_for(const std::string& service_id) const {
  for (const auto& terms : services) {
    if (terms.service == service_id) return &terms;
  }
  return nullptr;
}

const AgreementException* Agreement::first_exception(ExceptionKind kind, const std::string& service_id,
                                                     Date day) const {
  for (const auto& exception : exceptions) {
    if (exception.kind == kind && exception.applies_to_service(service_id) && exception.in_period(day)) {
      return &exception;
    }
  }
  return nullptr;
}

namespace {

// The first exception of kind for service on day whose tags (if it names any) meet the row's.
const AgreementException* first_for_row(const std::vector<AgreementException>& exceptions, ExceptionKind kind,
                                        const std::string& service_id, Date day, std::span<const std::string> tags) {
  for (const auto& exception : exceptions) {
    if (exception.kind != kind || !exception.applies_to_service(service_id) || !exception.in_period(day)) {
      continue;
    }
    if (exception.tags.empty()) return &exception;
    for (const auto& tag : exception.tags) {
      if (std::find(tags.begin(), tags.end(), tag) != tags.end()) return &exception;
    }
  }
  return nullptr;
}

}  // namespace

const AgreementException* Agreement::exclusion_for(const std::string& service_id, Date day,
                                                   std::span<const std::string> tags) const {
  return first_for_row(exceptions, ExceptionKind::exclude, service_id, day, tags);
}

const AgreementException* Agreement::waiver_for(const std::string& service_id, Date day,
                                                std::span<const std::string> tags) const {
  return first_for_row(exceptions, ExceptionKind::sla_waiver, service_id, day, tags);
}

namespace {

const Agreement* address_of(const Agreement& version) { return &version; }
const Agreement* address_of(const Agreement* version) { return version; }

template <typename Versions>
const Agreement* highest_in_force(const Versions& versions, Date day) {
  const Agreement* best = nullptr;
  for (const auto& entry : versions) {
    const Agreement* version = address_of(entry);
    if (!version->valid.contains(day)) continue;
    if (best == nullptr || version->version > best->version) best = version;
  }
  return best;
}

}  // namespace

const Agreement* version_in_force(const std::vector<Agreement>& versions, Date day) {
  return highest_in_force(versions, day);
}

const Agreement* version_in_force_among(std::span<const Agreement* const> versions, Date day) {
  return highest_in_force(versions, day);
}

std::optional<std::string> CostModel::find_cost_type(const std::string& account) const {
  std::optional<std::string> best;
  std::size_t best_length = 0;
  for (const auto& [type, prefixes] : cost_types) {
    for (const auto& prefix : prefixes) {
      if (account.compare(0, prefix.size(), prefix) != 0) continue;
      if (!best || prefix.size() > best_length) {
        best = type;
        best_length = prefix.size();
      }
    }
  }
  return best;
}

std::string CostModel::cost_type_of(const std::string& account) const { return find_cost_type(account).value_or(""); }

const Agency* ContractSet::agency(const std::string& id) const {
  for (const auto& agency : agencies) {
    if (agency.id == id) return &agency;
  }
  return nullptr;
}

const PriceList* ContractSet::price_list(int year) const {
  for (const auto& list : price_lists) {
    if (list.year == year) return &list;
  }
  return nullptr;
}

const CostModel* ContractSet::cost_model(int year) const {
  for (const auto& model : cost_models) {
    if (model.year == year) return &model;
  }
  return nullptr;
}

}  // namespace costcover::model
