// The way each language documents are written in (core/language.hpp) writes numbers and
// days. Pure.
//   fi, sv: 1 234 567,89 (no-break space between thousands, decimal comma, − for minus)
//   en:     1,234,567.89
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "core/language.hpp"
#include "core/money.hpp"

namespace costcover::render {

using costcover::Language;
using costcover::parse_language;
using costcover::to_string;

// An amount of euros with its two decimals, grouped as the language writes it.
[[nodiscard]] std::string format_money(Money amount, Language language);
// A percentage with two decimals and the sign: "98,76 %" (fi, sv), "98.76%" (en).
[[nodiscard]] std::string format_percent(const Decimal& percent, Language language);
// A day as the language writes it: "1.2.2027" (fi, sv), "2027-02-01" (en).
[[nodiscard]] std::string format_day(Date day, Language language);

}  // namespace costcover::render
