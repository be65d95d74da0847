// The virtual bank barcode (pankkiviivakoodi, Finance Finland's "Pankkiviivakoodi-opas"):
// the 54 digits a payer's bank reads from the payment slip, and the same drawn as a
// Code 128 (code set C) barcode in inline SVG. Pure.
//   version 4 (national reference): 4, the IBAN's 16 digits, euros (6), cents (2), 000,
//            the reference right-aligned in 20 digits, the due date YYMMDD;
//   version 5 (RF reference):        5, the IBAN's 16 digits, euros (6), cents (2), the RF
//            check digits (2), the reference part right-aligned in 21 digits, YYMMDD.
// An amount of 1 000 000 euros or more is written as zeros (the payer types it); no due
// date is written as 000000.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/dates.hpp"
#include "core/money.hpp"

namespace costcover::render {

// Throws InputError when the IBAN is not a Finnish one (FI + 16 digits, spaces allowed),
// the amount is negative or the reference does not fit its version.
[[nodiscard]] std::string bank_barcode_v4(std::string_view iban, Money amount, std::string_view reference,
                                          std::optional<Date> due);
[[nodiscard]] std::string bank_barcode_v5(std::string_view iban, Money amount, std::string_view rf_reference,
                                          std::optional<Date> due);

// The digits (an even number) as a Code 128 code set C symbol: start C, the digit pairs,
// the mod-103 check symbol, stop; an <svg> of `height` px with one module = `module` px
// and a quiet zone of 10 modules each side.
[[nodiscard]] std::string code128c_svg(std::string_view digits, int module = 1, int height = 50);

}  // namespace costcover::render
