// Finnish business ids (Y-tunnus, "NNNNNNN-C") and IBAN check digits.
#pragma once

#include <optional>
#include <string_view>

namespace costcover::contracts {

// The check digit of seven digits: weights 7, 9, 10, 5, 8, 4, 2; remainder r of the sum
// by 11 gives 0 for r = 0, none for r = 1 (no valid id has those digits), else 11 - r.
[[nodiscard]] std::optional<int> business_id_check_digit(std::string_view seven_digits);
// "NNNNNNN-C" with the right check digit.
[[nodiscard]] bool valid_business_id(std::string_view text);
// ISO 13616: 2 letters, 2 check digits, up to 30 letters or digits, mod 97 = 1. Spaces not allowed.
[[nodiscard]] bool valid_iban(std::string_view text);

}  // namespace costcover::contracts
