#include "contracts/business_id.hpp"

#include <algorithm>

namespace costcover::contracts {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
}  // namespace

std::optional<int> business_id_check_digit(std::string_view seven_digits) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2};
  if (seven_digits.size() != 7 || !std::all_of(seven_digits.begin(), seven_digits.end(), is_digit)) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 7; ++i) sum += (seven_digits[i] - '0') * kWeights[i];
  const int remainder = sum % 11;
  if (remainder == 0) return 0;
  if (remainder == 1) return std::nullopt;
  return 11 - remainder;
}

bool valid_business_id(std::string_view text) {
  if (text.size() != 9 || text[7] != '-' || !is_digit(text[8])) return false;
  const auto check = business_id_check_digit(text.substr(0, 7));
  return check && *check == text[8] - '0';
}

bool valid_iban(std::string_view text) {
  if (text.size() < 15 || text.size() > 34) return false;
  if (!is_upper(text[0]) || !is_upper(text[1]) || !is_digit(text[2]) || !is_digit(text[3])) return false;
  int remainder = 0;
  auto feed = [&](char c) {
    if (is_digit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      const int value = c - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    }
  };
  for (std::size_t i = 4; i < text.size(); ++i) {
    if (!is_digit(text[i]) && !is_upper(text[i])) return false;
    feed(text[i]);
  }
  for (std::size_t i = 0; i < 4; ++i) feed(text[i]);
  return remainder == 1;
}

}  // namespace costcover::contracts
