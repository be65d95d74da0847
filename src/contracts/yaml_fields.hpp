// PRIVATE to src/contracts/: reading typed fields out of yaml-cpp nodes with strict
// validation. Includes yaml-cpp, so no header outside this folder may include it.
//
// Every reader reports its own finding and returns nothing on error, so the callers keep
// going and one run collects every problem. A finding points at the start of the field it
// names: the key of a map entry, the item of a list. Numbers are read from the scalar's
// text, never through floating point.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contracts/rules.hpp"
#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "core/money.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts::detail {

// The largest numbers the contracts may hold, so that nothing the later steps compute from
// them (amounts in int64 cents, exact amounts in int64 millionths, NUMERIC(18,2) and
// NUMERIC(18,4) columns) can overflow. contracts/README.md ("Bounds") works each one out.
inline constexpr Money kMaxAmount = Money::from_cents(100'000'000'000);            // 1 000 000 000.00
inline constexpr Decimal kMaxUnitPrice = Decimal::from_units(10'000'000'000);      // 10 000.0000
inline constexpr std::int64_t kMaxVolume = 100'000'000;                            // units per window
inline constexpr Decimal kMaxDriver = Decimal::from_units(1'000'000'000'000'000);  // 1 000 000 000

// The findings of one file. Each names the rule that made it (contracts/rules.hpp).
class FileContext {
 public:
  FileContext(std::string file, std::vector<Finding>& findings) : file_(std::move(file)), findings_(&findings) {}
  [[nodiscard]] Location at(const YAML::Mark& mark) const;
  void error(Rule rule, const YAML::Mark& mark, std::string message);
  void error(Rule rule, const Location& where, std::string message);
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::size_t finding_count() const { return findings_->size(); }

 private:
  std::string file_;
  std::vector<Finding>* findings_;
};

// A value and the path that names it in messages ("services[0].volume.lower_limit").
struct Field {
  YAML::Node node;
  std::string path;
  YAML::Mark mark;  // where findings about this field point
};

// "a mapping", "a list", "nothing", "\"text\"".
[[nodiscard]] std::string describe(const YAML::Node& node);

// The first place where text is not UTF-8 or holds a control character (C0, DEL or C1)
// other than those in `allowed`.
struct BadText {
  std::size_t offset = 0;                       // of the byte where it starts
  bool utf8 = true;                             // false: the byte at offset starts no UTF-8 sequence
  std::uint32_t code = 0;                       // the control character's code point, or the byte
  [[nodiscard]] std::string to_string() const;  // "the control character U+0000", "byte 0xE4"
};
[[nodiscard]] std::optional<BadText> find_bad_text(std::string_view text, std::string_view allowed);

// A mapping with a fixed set of keys. The constructor reports a non-mapping, unknown keys
// (with a suggestion when one is close) and repeated keys.
class MapReader {
 public:
  MapReader(FileContext& context, const Field& field, std::initializer_list<std::string_view> known);
  [[nodiscard]] bool valid() const { return valid_; }
  [[nodiscard]] bool has(std::string_view key) const;
  // The entry, if present (and not repeated-away). Optional keys.
  [[nodiscard]] std::optional<Field> get(std::string_view key) const;
  // The entry; reports "PATH.key is required but missing" at the mapping otherwise.
  [[nodiscard]] std::optional<Field> need(std::string_view key);
  [[nodiscard]] const Field& self() const { return self_; }

 private:
  FileContext* context_;
  Field self_;
  bool valid_ = false;
  std::vector<std::pair<std::string, Field>> entries_;  // known keys, first occurrence
};

// A mapping with free keys (prices: service -> price). Reports a non-mapping, non-text
// keys and repeated keys; returns (key, value field) in written order.
[[nodiscard]] std::vector<std::pair<std::string, Field>> read_free_map(FileContext& context, const Field& field);

// A list; reports a non-list. Items are named PATH[i].
[[nodiscard]] std::vector<Field> read_list(FileContext& context, const Field& field);

[[nodiscard]] std::string child_path(const std::string& parent, std::string_view key);

// The longest texts, in characters, by where they go (contracts/README.md, "Bounds").
inline constexpr std::size_t kMaxIdChars = 64;     // ids: keys of tables and of transactions
inline constexpr std::size_t kMaxCodeChars = 70;   // buyer_reference and other e-invoice fields
inline constexpr std::size_t kMaxNameChars = 200;  // names, addresses, e-mail addresses
inline constexpr std::size_t kMaxTextChars = 500;  // reasons, descriptions, handoff, basis

// Scalars.
// A non-empty text of at most max_chars characters without control characters (tab and
// line feed allowed).
[[nodiscard]] std::optional<std::string> read_text(FileContext& context, const Field& field, std::size_t max_chars);
// The checks of read_text, for a text read otherwise; false after a finding.
[[nodiscard]] bool check_text(FileContext& context, const Field& field, std::string_view text, std::size_t max_chars);
[[nodiscard]] std::optional<std::int64_t> read_integer(FileContext& context, const Field& field, std::int64_t min,
                                                       std::int64_t max);
// A count of units (forecast, limits, tier up_to, forecast volumes) in [min, kMaxVolume].
[[nodiscard]] std::optional<std::int64_t> read_volume(FileContext& context, const Field& field, std::int64_t min);
// Euros, at most 2 decimals, not negative, at most kMaxAmount.
[[nodiscard]] std::optional<Money> read_money(FileContext& context, const Field& field);
// A decimal with at most max_decimals decimals in [min, max] (inclusive).
[[nodiscard]] std::optional<Decimal> read_decimal(FileContext& context, const Field& field, int max_decimals,
                                                  Decimal min, Decimal max);
// A unit price: at most 4 decimals, not negative, at most kMaxUnitPrice.
[[nodiscard]] std::optional<Decimal> read_unit_price(FileContext& context, const Field& field);
// Months are 1900-01..9999-12 (core/dates.hpp) and a yearly window runs twelve months from
// an agreement's first month, so a day in the contracts lies in kFirstDay..kLastDay.
inline const Date kFirstDay{1900, 1, 1};
inline const Date kLastDay{9998, 12, 31};
// A day YYYY-MM-DD in kFirstDay..kLastDay.
[[nodiscard]] std::optional<Date> read_date(FileContext& context, const Field& field);
// {from: DATE, to: DATE} with from <= to.
[[nodiscard]] std::optional<DateRange> read_range(FileContext& context, const Field& field);

enum class IdForm {
  service,     // [a-z0-9-]+, starts with a letter or digit
  agency,      // [A-Z0-9]+
  agreement,   // [A-Z0-9][A-Z0-9-]*
  lower_name,  // [a-z0-9][a-z0-9_-]*  (fee ids, asset ids, driver names)
};
[[nodiscard]] bool id_has_form(std::string_view id, IdForm form);
[[nodiscard]] std::optional<std::string> read_id(FileContext& context, const Field& field, IdForm form);

// One of a fixed set of words.
template <typename E>
[[nodiscard]] std::optional<E> read_enum(FileContext& context, const Field& field,
                                         std::initializer_list<std::pair<std::string_view, E>> words) {
  auto text = read_text(context, field, kMaxCodeChars);
  if (!text) return std::nullopt;
  std::string expected;
  std::size_t i = 0;
  for (const auto& [word, value] : words) {
    if (*text == word) return value;
    expected += (i == 0 ? "" : (i + 1 == words.size() ? " or " : ", ")) + std::string(word);
    ++i;
  }
  context.error(Rule::not_one_of, field.mark,
                field.path + " " + quote_for_message(*text) + " is not one of " + expected);
  return std::nullopt;
}

}  // namespace costcover::contracts::detail
