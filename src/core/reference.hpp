// Payment references (pure): the Finnish reference number (viitenumero, Finance Finland's
// "kotimainen viite": base digits + a 7-3-1 check digit, 4..20 digits in all) and the RF
// creditor reference (ISO 11649: "RF", two mod-97 check digits, the reference). An
// invoice's reference is derived from its number's digits ("2027-000123" -> base
// "2027000123" -> "20270001236"); the SQL functions of sql/071 compute the same.
#pragma once

#include <string>
#include <string_view>

namespace costcover {

// The 7-3-1 check digit of a base of digits (weights 7, 3, 1, 7, ... from the right).
// Throws InputError unless base is 3..19 digits.
[[nodiscard]] char reference_check_digit(std::string_view base);
// base + its check digit. Throws InputError unless base is 3..19 digits.
[[nodiscard]] std::string make_reference(std::string_view base);
// True when text is 4..20 digits whose last is the 7-3-1 check digit of the rest.
[[nodiscard]] bool valid_reference(std::string_view text);

// The RF creditor reference of a reference (1..21 digits or letters A-Z): "RF" + two
// check digits + the reference (letters upper-cased). Throws InputError otherwise.
[[nodiscard]] std::string make_rf_reference(std::string_view reference);
// True when text (no spaces) is "RF", two digits and 1..21 digits or upper-case letters,
// and the check digits hold (the reference + "RF" + check digits, letters as 10..35, mod 97 = 1).
[[nodiscard]] bool valid_rf_reference(std::string_view text);

// The reference of an invoice number: its digits as the base, plus the check digit
// ("2027-000123" -> "20270001236"). Throws InputError when the number has fewer than 3
// or more than 19 digits.
[[nodiscard]] std::string invoice_reference(std::string_view invoice_number);

// The print forms: the national one in groups of five from the right, leading zeros
// dropped ("1234561" -> "12 34561"); the RF one in groups of four from the left
// ("RF18539007547034" -> "RF18 5390 0754 7034").
[[nodiscard]] std::string group_reference(std::string_view reference);
[[nodiscard]] std::string group_rf_reference(std::string_view rf_reference);

}  // namespace costcover
