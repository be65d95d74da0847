#include "rating/price.hpp"

#include <algorithm>

#include "core/phrases.hpp"

namespace costcover::rating::detail {
namespace {

[[nodiscard]] std::optional<BasePrice> list_base_price(const model::ServiceTerms& terms, Date day, Worksheet& sheet) {
  const RatingInput& in = sheet.input();
  const int year = year_of(day);
  const std::optional<Decimal> price = model::list_price(in.price_lists, year, terms.service);
  if (price) {
    return BasePrice{*price, "list " + std::to_string(year), "", -1};
  }
  const bool listed = std::any_of(in.price_lists.begin(), in.price_lists.end(),
                                  [&](const model::PriceList& l) { return l.year == year; });
  sheet.error(terms.where, sheet.subject() + ": " + terms.service + " is priced from the list but price list " +
                               std::to_string(year) + (listed ? " does not list it" : " is missing"));
  return std::nullopt;
}

[[nodiscard]] std::optional<BasePrice> tier_base_price(const model::ServiceTerms& terms,
                                                       const model::Agreement& version, std::int64_t position,
                                                       Worksheet& sheet) {
  const std::string& language = sheet.input().language;
  std::int64_t start = 1;
  for (std::size_t i = 0; i < terms.price.tiers.size(); ++i) {
    const model::Tier& tier = terms.price.tiers[i];
    const std::string name = "tier " + std::to_string(i + 1);
    if (!tier.up_to) {
      return BasePrice{tier.unit_price, name, phrase(Phrase::tier_above, language, i + 1, start - 1), -1};
    }
    if (position <= *tier.up_to) {
      return BasePrice{tier.unit_price, name, phrase(Phrase::tier_range, language, i + 1, start, *tier.up_to),
                       *tier.up_to};
    }
    start = *tier.up_to + 1;
  }
  sheet.error(terms.where, sheet.subject() + ": unit " + std::to_string(position) + " of " + terms.service +
                               " in agreement " + version.id + " version " + std::to_string(version.version) +
                               " is above the last tier (" + std::to_string(start - 1) +
                               "); the last tier needs no up_to");
  return std::nullopt;
}

}  // namespace

std::optional<BasePrice> base_price(const model::ServiceTerms& terms, const model::Agreement& version, Date day,
                                    std::int64_t position, Worksheet& sheet) {
  switch (terms.price.model) {
    case model::PriceModel::list:
      return list_base_price(terms, day, sheet);
    case model::PriceModel::unit_price:
      return BasePrice{terms.price.unit_price, "agreement", "", -1};
    case model::PriceModel::tiers:
      return tier_base_price(terms, version, position, sheet);
  }
  return std::nullopt;
}

}  // namespace costcover::rating::detail
