#include "render/locale.hpp"

namespace costcover::render {
namespace {

constexpr std::string_view kNoBreakSpace = "\u00a0";
constexpr std::string_view kMinus = "\u2212";

// "-1234567.89" -> the language's form.
std::string localise(const std::string& plain, Language language) {
  const bool negative = !plain.empty() && plain.front() == '-';
  const std::string digits = negative ? plain.substr(1) : plain;
  const std::size_t dot = digits.find('.');
  const std::string whole = digits.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
  const std::string_view group = language == Language::en ? std::string_view(",") : kNoBreakSpace;
  std::string out;
  if (negative) out += language == Language::en ? std::string_view("-") : kMinus;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += group;
    out += whole[i];
  }
  if (!fraction.empty()) {
    out += language == Language::en ? '.' : ',';
    out += fraction;
  }
  return out;
}

}  // namespace

std::string format_money(Money amount, Language language) { return localise(amount.to_string(), language); }

std::string format_day(Date day, Language language) {
  if (language == Language::en) return format_date(day);
  return std::to_string(static_cast<int>(day.day())) + "." + std::to_string(static_cast<int>(day.month())) + "." +
         std::to_string(static_cast<int>(day.year()));
}

std::string format_percent(const Decimal& percent, Language language) {
  const std::string number = localise(percent.to_string(2), language);
  return language == Language::en ? number + "%" : number + std::string(kNoBreakSpace) + "%";
}

}  // namespace costcover::render
