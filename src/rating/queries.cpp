#include "rating/queries.hpp"

namespace costcover::rating::detail {

const model::AgreementException* first_exception(const model::Agreement& version, model::ExceptionKind kind,
                                                 const std::string& service, Date day) {
  for (const model::AgreementException& exception : version.exceptions) {
    if (exception.kind == kind && exception.applies_to_service(service) && exception.in_period(day)) {
      return &exception;
    }
  }
  return nullptr;
}

std::optional<Decimal> list_price(std::span<const model::PriceList> lists, int year, const std::string& service) {
  for (const model::PriceList& list : lists) {
    if (list.year != year) {
      continue;
    }
    if (std::optional<Decimal> price = list.price_of(service)) {
      return price;
    }
  }
  return std::nullopt;
}

bool same_vat(const model::Vat& a, const model::Vat& b) {
  return a.category == b.category && a.rate == b.rate && a.exemption_reason == b.exemption_reason;
}

Month add_months(Month month, int count) {
  const int index = month.year() * 12 + (month.month() - 1) + count;
  return Month(index / 12, index % 12 + 1);
}

int months_between(Month from, Month to) { return (to.year() - from.year()) * 12 + (to.month() - from.month()); }

Date next_day(Date day) { return day + boost::gregorian::days(1); }

int year_of(Date day) { return static_cast<int>(day.year()); }

long day_index(Date from, Date day) { return static_cast<long>((day - from).days()); }

}  // namespace costcover::rating::detail
