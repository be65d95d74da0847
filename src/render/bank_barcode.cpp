#include "render/bank_barcode.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>

#include "core/errors.hpp"
#include "core/reference.hpp"

namespace costcover::render {

namespace {

std::string iban_digits(std::string_view iban) {
  std::string compact;
  for (const char c : iban) {
    if (c != ' ') compact += c;
  }
  bool ok = compact.size() == 18 && compact.substr(0, 2) == "FI";
  for (std::size_t i = 2; ok && i < compact.size(); ++i) ok = compact[i] >= '0' && compact[i] <= '9';
  if (!ok)
    throw InputError("the bank barcode needs a Finnish IBAN (FI and 16 digits), not \"" + std::string(iban) + "\"");
  return compact.substr(2);
}

// Euros (6 digits) and cents (2); zeros from a million euros up.
std::string amount_digits(Money amount) {
  if (amount.cents() < 0) throw InputError("the bank barcode cannot carry a negative amount");
  if (amount.cents() >= 100'000'000) return "00000000";
  return fmt::format("{:06}{:02}", amount.cents() / 100, amount.cents() % 100);
}

std::string due_digits(std::optional<Date> due) {
  if (!due) return "000000";
  return fmt::format("{:02}{:02}{:02}", static_cast<int>(due->year()) % 100, static_cast<int>(due->month()),
                     static_cast<int>(due->day()));
}

std::string pad_left(std::string_view digits, std::size_t width) {
  return std::string(width - digits.size(), '0') + std::string(digits);
}

// Code 128 bar/space widths of the values 0..105 (ISO/IEC 15417), and the stop.
constexpr std::array<const char*, 106> kPatterns = {
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213", "221312",
    "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132", "221231", "213212",
    "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321", "232121",
    "111323", "131123", "131321", "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331",
    "132131", "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131", "311123",
    "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224", "111422", "121124",
    "121421", "141122", "141221", "112214", "112412", "122114", "122411", "142112", "142211", "241211", "221114",
    "413111", "241112", "134111", "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232"};
constexpr const char* kStop = "2331112";
constexpr int kStartC = 105;

}  // namespace

std::string bank_barcode_v4(std::string_view iban, Money amount, std::string_view reference, std::optional<Date> due) {
  if (!valid_reference(reference)) {
    throw InputError("the bank barcode (version 4) needs a valid reference number, not \"" + std::string(reference) +
                     "\"");
  }
  return "4" + iban_digits(iban) + amount_digits(amount) + "000" + pad_left(reference, 20) + due_digits(due);
}

std::string bank_barcode_v5(std::string_view iban, Money amount, std::string_view rf_reference,
                            std::optional<Date> due) {
  bool digits_only = rf_reference.size() >= 5;
  for (std::size_t i = 4; digits_only && i < rf_reference.size(); ++i) {
    digits_only = rf_reference[i] >= '0' && rf_reference[i] <= '9';
  }
  if (!valid_rf_reference(rf_reference) || !digits_only) {
    throw InputError("the bank barcode (version 5) needs a valid RF reference of digits, not \"" +
                     std::string(rf_reference) + "\"");
  }
  return "5" + iban_digits(iban) + amount_digits(amount) + std::string(rf_reference.substr(2, 2)) +
         pad_left(rf_reference.substr(4), 21) + due_digits(due);
}

std::string code128c_svg(std::string_view digits, int module, int height) {
  if (digits.size() % 2 != 0) throw InputError("Code 128 code set C needs an even number of digits");
  std::string widths = kPatterns[kStartC];
  int check = kStartC;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    if (digits[i] < '0' || digits[i] > '9' || digits[i + 1] < '0' || digits[i + 1] > '9') {
      throw InputError("Code 128 code set C encodes digits only");
    }
    const int value = (digits[i] - '0') * 10 + (digits[i + 1] - '0');
    check += value * static_cast<int>(i / 2 + 1);
    widths += kPatterns[static_cast<std::size_t>(value)];
  }
  widths += kPatterns[static_cast<std::size_t>(check % 103)];
  widths += kStop;
  int modules = 20;
  for (const char w : widths) modules += w - '0';
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(role="img" aria-label="{2}"><rect width="{0}" height="{1}" fill="#fff"/>)",
      modules * module, height, digits);
  int x = 10;
  bool bar = true;
  for (const char w : widths) {
    const int width = w - '0';
    if (bar) svg += fmt::format(R"(<rect x="{}" width="{}" height="{}"/>)", x * module, width * module, height);
    x += width;
    bar = !bar;
  }
  return svg + "</svg>";
}

}  // namespace costcover::render
