#include "rating/queries.hpp"

#include <algorithm>

namespace costcover::rating::detail {

const contracts::Agreement* in_force(std::span<const contracts::Agreement* const> versions, Date day) {
  const contracts::Agreement* best = nullptr;
  for (const contracts::Agreement* version : versions) {
    if (version->valid.contains(day) && (best == nullptr || version->version > best->version)) {
      best = version;
    }
  }
  return best;
}

const contracts::ServiceTerms* terms_of(const contracts::Agreement& agreement, const std::string& service) {
  for (const contracts::ServiceTerms& terms : agreement.services) {
    if (terms.service == service) {
      return &terms;
    }
  }
  return nullptr;
}

bool covers_service(const contracts::AgreementException& exception, const std::string& service) {
  return exception.services.empty() ||
         std::find(exception.services.begin(), exception.services.end(), service) != exception.services.end();
}

bool covers_day(const contracts::AgreementException& exception, Date day) {
  return !exception.period.has_value() || exception.period->contains(day);
}

const contracts::AgreementException* first_exception(const contracts::Agreement& version,
                                                     contracts::ExceptionKind kind, const std::string& service,
                                                     Date day) {
  for (const contracts::AgreementException& exception : version.exceptions) {
    if (exception.kind == kind && covers_service(exception, service) && covers_day(exception, day)) {
      return &exception;
    }
  }
  return nullptr;
}

const contracts::Service* find_service(const contracts::Catalog& catalog, const std::string& id) {
  for (const contracts::Service& service : catalog.services) {
    if (service.id == id) {
      return &service;
    }
  }
  return nullptr;
}

int catalog_order(const contracts::Catalog& catalog, const std::string& id) {
  for (std::size_t i = 0; i < catalog.services.size(); ++i) {
    if (catalog.services[i].id == id) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string service_name(const contracts::Service& service, const std::string& language) {
  for (const auto& [lang, name] : service.name) {
    if (lang == language) {
      return name;
    }
  }
  return service.name.empty() ? service.id : service.name.front().second;
}

std::optional<Decimal> list_price(std::span<const contracts::PriceList> lists, int year,
                                  const std::string& service) {
  for (const contracts::PriceList& list : lists) {
    if (list.year != year) {
      continue;
    }
    for (const auto& [id, price] : list.prices) {
      if (id == service) {
        return price;
      }
    }
  }
  return std::nullopt;
}

bool same_vat(const contracts::Vat& a, const contracts::Vat& b) {
  return a.category == b.category && a.rate == b.rate && a.exemption_reason == b.exemption_reason;
}

Month add_months(Month month, int count) {
  const int index = month.year() * 12 + (month.month() - 1) + count;
  return Month(index / 12, index % 12 + 1);
}

int months_between(Month from, Month to) {
  return (to.year() - from.year()) * 12 + (to.month() - from.month());
}

Date next_day(Date day) { return day + boost::gregorian::days(1); }

int year_of(Date day) { return static_cast<int>(day.year()); }

long day_index(Date from, Date day) { return static_cast<long>((day - from).days()); }

}  // namespace costcover::rating::detail
