#include "contracts/yaml_fields.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "core/int128.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts::detail {

namespace {

// Levenshtein distance, for "did you mean" on unknown keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string join_words(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// "(did you mean upper_limit?)" when a known key is within two edits, else the known keys.
std::string key_hint(std::string_view name, std::initializer_list<std::string_view> known) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (const auto word : known) {
    const std::size_t distance = edit_distance(name, word);
    if (distance < best_distance) {
      best_distance = distance;
      best = word;
    }
  }
  if (!best.empty()) return "(did you mean " + std::string(best) + "?)";
  return "(expected " + join_words(std::vector<std::string_view>(known)) + ")";
}

bool is_plain_integer(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
  if (pos == text.size()) return false;
  return std::all_of(text.begin() + static_cast<long>(pos), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number as written, for a message: it passed the syntax check (digits, sign, point),
// so only its length needs care.
std::string number_text(std::string_view text) {
  return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

// A scalar's text, or a finding when the field is not a non-empty scalar.
std::optional<std::string> scalar_text(FileContext& context, const Field& field, const char* expected) {
  if (!field.node.IsScalar() || field.node.Scalar().empty()) {
    context.error(Rule::wrong_type, field.mark, field.path + " is " + describe(field.node) + "; expected " + expected);
    return std::nullopt;
  }
  return field.node.Scalar();
}

}  // namespace

Location FileContext::at(const YAML::Mark& mark) const {
  Location where{file_, 0, 0};
  if (mark.line >= 0 && mark.column >= 0) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

void FileContext::error(Rule rule, const YAML::Mark& mark, std::string message) {
  error(rule, at(mark), std::move(message));
}

void FileContext::error(Rule rule, const Location& where, std::string message) {
  findings_->push_back(make_finding(rule, where, std::move(message)));
}

std::string BadText::to_string() const {
  std::array<char, 3> hex{};
  std::snprintf(hex.data(), hex.size(), "%02X", code & 0xFFU);
  if (!utf8) return "byte 0x" + std::string(hex.data());
  return "the control character U+00" + std::string(hex.data());
}

std::optional<BadText> find_bad_text(std::string_view text, std::string_view allowed) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 || c == 0x7F) && allowed.find(static_cast<char>(c)) == std::string_view::npos)
        return BadText{i, true, c};
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text.substr(i));
    if (length == 0) return BadText{i, false, c};
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (c == 0xC2 && next < 0xA0) return BadText{i, true, next};  // U+0080..U+009F
    i += length;
  }
  return std::nullopt;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return node.Scalar().empty() ? "empty" : quote_for_message(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "empty";
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? escape_for_message(key) : parent + "." + escape_for_message(key);
}

MapReader::MapReader(FileContext& context, const Field& field, std::initializer_list<std::string_view> known)
    : context_(&context), self_(field) {
  if (!field.node.IsMap()) {
    context.error(Rule::wrong_type, field.mark,
                  (field.path.empty() ? std::string("the file") : field.path) + " is " + describe(field.node) +
                      "; expected a mapping with " + join_words(std::vector<std::string_view>(known)));
    return;
  }
  valid_ = true;
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    // Copies: the iterator hands out a temporary pair, references to it would dangle.
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      context.error(Rule::key_not_a_name, key.Mark(),
                    (field.path.empty() ? std::string("the file") : field.path) + " has a key that is " +
                        describe(key) + "; expected a name");
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string path = child_path(field.path, name);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      context.error(Rule::unknown_key, key.Mark(), path + " is not a known key " + key_hint(name, known));
      continue;
    }
    const bool repeated = std::any_of(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == name; });
    if (repeated) {
      context.error(Rule::repeated_key, key.Mark(), path + " is repeated");
      continue;
    }
    entries_.emplace_back(name, Field{it->second, path, key.Mark()});
  }
}

bool MapReader::has(std::string_view key) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
}

std::optional<Field> MapReader::get(std::string_view key) const {
  for (const auto& [name, field] : entries_) {
    if (name == key) return field;
  }
  return std::nullopt;
}

std::optional<Field> MapReader::need(std::string_view key) {
  auto field = get(key);
  if (!field && valid_)
    context_->error(Rule::missing_key, self_.mark, child_path(self_.path, key) + " is required but missing");
  return field;
}

std::vector<std::pair<std::string, Field>> read_free_map(FileContext& context, const Field& field) {
  std::vector<std::pair<std::string, Field>> out;
  if (!field.node.IsMap()) {
    context.error(Rule::wrong_type, field.mark, field.path + " is " + describe(field.node) + "; expected a mapping");
    return out;
  }
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    // Copies: the iterator hands out a temporary pair, references to it would dangle.
    const YAML::Node key = it->first;
    if (!key.IsScalar() || key.Scalar().empty()) {
      context.error(Rule::key_not_a_name, key.Mark(),
                    field.path + " has a key that is " + describe(key) + "; expected a name");
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string path = child_path(field.path, name);
    if (std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.first == name; })) {
      context.error(Rule::repeated_key, key.Mark(), path + " is repeated");
      continue;
    }
    out.emplace_back(name, Field{it->second, path, key.Mark()});
  }
  return out;
}

std::vector<Field> read_list(FileContext& context, const Field& field) {
  std::vector<Field> out;
  if (!field.node.IsSequence()) {
    context.error(Rule::wrong_type, field.mark, field.path + " is " + describe(field.node) + "; expected a list");
    return out;
  }
  std::size_t i = 0;
  for (const auto& item : field.node) {
    out.push_back(Field{item, field.path + "[" + std::to_string(i) + "]", item.Mark()});
    ++i;
  }
  return out;
}

bool check_text(FileContext& context, const Field& field, std::string_view text, std::size_t max_chars) {
  if (const auto bad = find_bad_text(text, "\t\n")) {
    context.error(Rule::text_control_character, field.mark,
                  field.path + " " + quote_for_message(text) + (bad->utf8 ? " contains " : " has ") + bad->to_string() +
                      (bad->utf8 ? "" : ", which is not UTF-8"));
    return false;
  }
  // UTF-8 now: its characters are its code points.
  const std::size_t chars = display_width(text);
  if (chars > max_chars) {
    context.error(Rule::text_too_long, field.mark,
                  field.path + " " + quote_for_message(text) + " is " + std::to_string(chars) +
                      " characters long, above the largest allowed " + std::to_string(max_chars));
    return false;
  }
  return true;
}

std::optional<std::string> read_text(FileContext& context, const Field& field, std::size_t max_chars) {
  auto text = scalar_text(context, field, "a text");
  if (!text || !check_text(context, field, *text, max_chars)) return std::nullopt;
  return text;
}

std::optional<std::int64_t> read_integer(FileContext& context, const Field& field, std::int64_t min, std::int64_t max) {
  auto text = scalar_text(context, field, "a whole number");
  if (!text) return std::nullopt;
  if (!is_plain_integer(*text)) {
    context.error(Rule::not_a_number, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a whole number");
    return std::nullopt;
  }
  // Digits beyond int64 are above (or below) any bound: saturate instead of failing.
  const bool negative = text->front() == '-';
  Int128 value = 0;
  for (const char c : *text) {
    if (c >= '0' && c <= '9' && value <= std::numeric_limits<std::int64_t>::max()) value = value * 10 + (c - '0');
  }
  if (negative) value = -value;
  if (value < 0 && min >= 0) {
    context.error(Rule::negative, field.mark, field.path + " " + number_text(*text) + " is negative");
    return std::nullopt;
  }
  if (value > max) {
    context.error(Rule::above_largest, field.mark,
                  field.path + " " + number_text(*text) + " is above the largest allowed " + std::to_string(max));
    return std::nullopt;
  }
  if (value < min) {
    context.error(Rule::below_smallest, field.mark,
                  field.path + " " + number_text(*text) + " is below the smallest allowed " + std::to_string(min));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

std::optional<std::int64_t> read_volume(FileContext& context, const Field& field, std::int64_t min) {
  return read_integer(context, field, min, kMaxVolume);
}

std::optional<Decimal> read_decimal(FileContext& context, const Field& field, int max_decimals, Decimal min,
                                    Decimal max) {
  auto text = scalar_text(context, field, "a number");
  if (!text) return std::nullopt;
  const int decimals = Decimal::fraction_digits(*text);
  if (decimals < 0) {
    context.error(Rule::not_a_number, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a number (expected e.g. 4.20)");
    return std::nullopt;
  }
  if (decimals > max_decimals) {
    context.error(
        Rule::too_many_decimals, field.mark,
        field.path + " " + number_text(*text) + " has more than " + std::to_string(max_decimals) + " decimals");
    return std::nullopt;
  }
  const bool negative = text->front() == '-';
  std::optional<Decimal> value;
  try {
    value = Decimal::parse(*text, max_decimals);
  } catch (const std::exception&) {
    // The syntax is right, so the number is beyond 64 bits: above any bound (or below).
  }
  if ((value ? *value < Decimal{} : negative) && min >= Decimal{}) {
    context.error(Rule::negative, field.mark, field.path + " " + number_text(*text) + " is negative");
    return std::nullopt;
  }
  if (value ? *value > max : !negative) {
    context.error(Rule::above_largest, field.mark,
                  field.path + " " + number_text(*text) + " is above the largest allowed " + max.to_string());
    return std::nullopt;
  }
  if (!value || *value < min) {
    context.error(Rule::below_smallest, field.mark,
                  field.path + " " + number_text(*text) + " is below the smallest allowed " + min.to_string());
    return std::nullopt;
  }
  return value;
}

std::optional<Money> read_money(FileContext& context, const Field& field) {
  auto text = scalar_text(context, field, "an amount of euros");
  if (!text) return std::nullopt;
  const int decimals = Decimal::fraction_digits(*text);
  if (decimals < 0) {
    context.error(Rule::not_a_number, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not an amount (expected e.g. 250.00)");
    return std::nullopt;
  }
  if (decimals > 2) {
    context.error(Rule::too_many_decimals, field.mark,
                  field.path + " " + number_text(*text) + " has more than 2 decimals");
    return std::nullopt;
  }
  const bool negative = text->front() == '-';
  std::optional<Money> value;
  try {
    value = Money::parse(*text);
  } catch (const std::exception&) {
    // The syntax is right, so the amount is beyond 64 bits.
  }
  if (value ? *value < Money{} : negative) {
    context.error(Rule::negative, field.mark, field.path + " " + number_text(*text) + " is negative");
    return std::nullopt;
  }
  if (!value || *value > kMaxAmount) {
    context.error(Rule::above_largest, field.mark,
                  field.path + " " + number_text(*text) + " is above the largest allowed " + kMaxAmount.to_string());
    return std::nullopt;
  }
  return value;
}

std::optional<Decimal> read_unit_price(FileContext& context, const Field& field) {
  return read_decimal(context, field, 4, Decimal{}, kMaxUnitPrice);
}

std::optional<Date> read_date(FileContext& context, const Field& field) {
  auto text = scalar_text(context, field, "a date YYYY-MM-DD");
  if (!text) return std::nullopt;
  auto day = try_parse_date(*text);
  if (!day) {
    context.error(Rule::not_a_date, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a date (expected YYYY-MM-DD, a real day)");
    return std::nullopt;
  }
  if (*day < kFirstDay) {
    context.error(Rule::below_smallest, field.mark,
                  field.path + " " + *text + " is below the smallest allowed " + format_date(kFirstDay));
    return std::nullopt;
  }
  if (*day > kLastDay) {
    context.error(Rule::above_largest, field.mark,
                  field.path + " " + *text + " is above the largest allowed " + format_date(kLastDay));
    return std::nullopt;
  }
  return day;
}

std::optional<DateRange> read_range(FileContext& context, const Field& field) {
  MapReader map(context, field, {"from", "to"});
  if (!map.valid()) return std::nullopt;
  auto from_field = map.need("from");
  auto to_field = map.need("to");
  std::optional<Date> from = from_field ? read_date(context, *from_field) : std::nullopt;
  std::optional<Date> to = to_field ? read_date(context, *to_field) : std::nullopt;
  if (!from || !to) return std::nullopt;
  if (*to < *from) {
    context.error(Rule::range_reversed, field.mark,
                  field.path + ".from " + format_date(*from) + " is after to " + format_date(*to));
    return std::nullopt;
  }
  return DateRange{*from, *to};
}

bool id_has_form(std::string_view id, IdForm form) {
  if (id.empty() || id.size() > kMaxIdChars) return false;
  auto lower_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto upper_digit = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  switch (form) {
    case IdForm::service:
      return lower_digit(id.front()) && lower_digit(id.back()) &&
             std::all_of(id.begin(), id.end(), [&](char c) { return lower_digit(c) || c == '-'; });
    case IdForm::agency:
      return std::all_of(id.begin(), id.end(), upper_digit);
    case IdForm::agreement:
      return upper_digit(id.front()) && upper_digit(id.back()) &&
             std::all_of(id.begin(), id.end(), [&](char c) { return upper_digit(c) || c == '-'; });
    case IdForm::lower_name:
      return lower_digit(id.front()) &&
             std::all_of(id.begin(), id.end(), [&](char c) { return lower_digit(c) || c == '-' || c == '_'; });
  }
  return false;
}

std::optional<std::string> read_id(FileContext& context, const Field& field, IdForm form) {
  auto text = read_text(context, field, kMaxIdChars);
  if (!text) return std::nullopt;
  if (!id_has_form(*text, form)) {
    const char* expected = "";
    switch (form) {
      case IdForm::service:
        expected = "lower-case letters, digits and inner hyphens, like purchase-invoice";
        break;
      case IdForm::agency:
        expected = "upper-case letters and digits, like KTL";
        break;
      case IdForm::agreement:
        expected = "upper-case letters, digits and inner hyphens, like SA-KTL-2027";
        break;
      case IdForm::lower_name:
        expected = "lower-case letters, digits, - and _, like base-fee";
        break;
    }
    context.error(Rule::bad_id, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a valid id (expected " + expected + ")");
    return std::nullopt;
  }
  return text;
}

}  // namespace costcover::contracts::detail
