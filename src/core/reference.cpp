#include "core/reference.hpp"

#include <algorithm>
#include <cstddef>

#include "core/errors.hpp"

namespace costcover {

namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_upper_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

// The remainder mod 97 of text with letters read as 10..35 (ISO 7064 MOD 97-10, as IBAN).
int mod97(std::string_view text) {
  int rest = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      rest = (rest * 10 + (c - '0')) % 97;
    } else {
      const int value = c - 'A' + 10;
      rest = (rest * 100 + value) % 97;
    }
  }
  return rest;
}

}  // namespace

char reference_check_digit(std::string_view base) {
  if (base.size() < 3 || base.size() > 19 || !all_digits(base)) {
    throw InputError("a reference number's base must be 3 to 19 digits, not \"" + std::string(base) + "\"");
  }
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  std::size_t position = 0;
  for (auto it = base.rbegin(); it != base.rend(); ++it, ++position) sum += (*it - '0') * kWeights[position % 3];
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string make_reference(std::string_view base) { return std::string(base) + reference_check_digit(base); }

bool valid_reference(std::string_view text) {
  if (text.size() < 4 || text.size() > 20 || !all_digits(text)) return false;
  return reference_check_digit(text.substr(0, text.size() - 1)) == text.back();
}

std::string make_rf_reference(std::string_view reference) {
  std::string upper;
  for (const char c : reference) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  if (upper.empty() || upper.size() > 21 || !std::all_of(upper.begin(), upper.end(), is_upper_alnum)) {
    throw InputError("an RF creditor reference needs 1 to 21 digits or letters, not \"" + std::string(reference) +
                     "\"");
  }
  const int check = 98 - mod97(upper + "RF00");
  std::string out = "RF";
  out += static_cast<char>('0' + check / 10);
  out += static_cast<char>('0' + check % 10);
  return out + upper;
}

bool valid_rf_reference(std::string_view text) {
  if (text.size() < 5 || text.size() > 25 || text.substr(0, 2) != "RF" || !all_digits(text.substr(2, 2))) return false;
  const std::string_view rest = text.substr(4);
  if (!std::all_of(rest.begin(), rest.end(), is_upper_alnum)) return false;
  return mod97(std::string(rest) + std::string(text.substr(0, 4))) == 1;
}

std::string invoice_reference(std::string_view invoice_number) {
  std::string digits;
  for (const char c : invoice_number) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() < 3 || digits.size() > 19) {
    throw InputError("invoice number \"" + std::string(invoice_number) +
                     "\" has no 3 to 19 digits to derive a reference number from");
  }
  return make_reference(digits);
}

std::string group_reference(std::string_view reference) {
  std::size_t first = 0;
  while (first + 1 < reference.size() && reference[first] == '0') ++first;
  const std::string_view digits = reference.substr(first);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 5 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::string group_rf_reference(std::string_view rf_reference) {
  std::string out;
  for (std::size_t i = 0; i < rf_reference.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += rf_reference[i];
  }
  return out;
}

}  // namespace costcover
