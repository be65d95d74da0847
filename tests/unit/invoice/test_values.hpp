// Values the invoice unit tests share: decimals from text, the two services of the sample
// catalog, and the two VAT treatments they use.
#pragma once

#include <optional>
#include <string>

#include "core/decimal.hpp"
#include "model/model.hpp"

namespace costcover::invoice::testing {

inline Decimal dec(const char* text) { return Decimal::parse(text); }

inline const std::string kPi = "purchase-invoice";
inline const std::string kPs = "payslip";
inline const model::Vat kO{model::VatCategory::not_subject, std::nullopt, ""};
inline const model::Vat kS{model::VatCategory::standard, Decimal::parse("25.5"), ""};

}  // namespace costcover::invoice::testing
