// Small queries over the agreement model and the calendar that rating needs. They mirror
// the model's own member functions but live here so that rating links only core (the
// contracts library carries the YAML loader); docs/rating.md says why.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "contracts/model.hpp"
#include "core/dates.hpp"
#include "core/decimal.hpp"

namespace costcover::rating::detail {

// The highest version whose valid range contains day, or nullptr.
[[nodiscard]] const contracts::Agreement* in_force(std::span<const contracts::Agreement* const> versions,
                                                   Date day);
[[nodiscard]] const contracts::ServiceTerms* terms_of(const contracts::Agreement& agreement,
                                                      const std::string& service);
[[nodiscard]] bool covers_service(const contracts::AgreementException& exception, const std::string& service);
[[nodiscard]] bool covers_day(const contracts::AgreementException& exception, Date day);
// The first exception of `kind` (in listed order) of the version that covers service on day.
[[nodiscard]] const contracts::AgreementException* first_exception(const contracts::Agreement& version,
                                                                   contracts::ExceptionKind kind,
                                                                   const std::string& service, Date day);
[[nodiscard]] const contracts::Service* find_service(const contracts::Catalog& catalog, const std::string& id);
[[nodiscard]] int catalog_order(const contracts::Catalog& catalog, const std::string& id);  // -1 if unknown
[[nodiscard]] std::string service_name(const contracts::Service& service, const std::string& language);
[[nodiscard]] std::optional<Decimal> list_price(std::span<const contracts::PriceList> lists, int year,
                                                const std::string& service);
[[nodiscard]] bool same_vat(const contracts::Vat& a, const contracts::Vat& b);

[[nodiscard]] Month add_months(Month month, int count);
[[nodiscard]] int months_between(Month from, Month to);  // to - from, in months
[[nodiscard]] Date next_day(Date day);
[[nodiscard]] int year_of(Date day);
[[nodiscard]] long day_index(Date from, Date day);  // days from `from` to `day`

}  // namespace costcover::rating::detail
