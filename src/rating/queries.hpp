// What rating asks of the agreement model and the calendar beyond the model's own member
// functions (contracts/model.hpp, used directly): the first exception of a kind, a list
// price by year, VAT equality and month arithmetic. docs/rating.md says how they read.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "model/model.hpp"

namespace costcover::rating::detail {

// The first exception of `kind` (in listed order) of the version that covers service on
// day. Only `period` decides the day (`date` belongs to charges, which this never asks for).
[[nodiscard]] const model::AgreementException* first_exception(const model::Agreement& version,
                                                               model::ExceptionKind kind, const std::string& service,
                                                               Date day);
// The price of service in the lists of `year`, trying each such list in order.
[[nodiscard]] std::optional<Decimal> list_price(std::span<const model::PriceList> lists, int year,
                                                const std::string& service);
[[nodiscard]] bool same_vat(const model::Vat& a, const model::Vat& b);

[[nodiscard]] Month add_months(Month month, int count);
[[nodiscard]] int months_between(Month from, Month to);  // to - from, in months
[[nodiscard]] Date next_day(Date day);
[[nodiscard]] int year_of(Date day);
[[nodiscard]] long day_index(Date from, Date day);  // days from `from` to `day`

}  // namespace costcover::rating::detail
