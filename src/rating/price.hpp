// PRIVATE to src/rating/: the unit price of a unit outside exceptions and limits
// (docs/rating.md, "Prices"): the list of the day's year, the agreement's price, or the
// tier that holds the unit's position in the window (units numbered 1, 2, ... in delivery
// order; a tier without up_to is the last). The unit walk and the true-up both ask it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rating/worksheet.hpp"

namespace costcover::rating::detail {

struct BasePrice {
  Decimal unit_price;
  std::string source;          // "list 2027", "agreement", "tier 2"
  std::string detail;          // for the description: ", tier 2 (units 1001 to 2000)"
  std::int64_t tier_end = -1;  // the last position of the tier, -1 when open
};

// The price of the unit at `position` of the window, delivered on day under version's
// terms. A list price missing for the year, or a unit above a last tier that has an
// up_to, is an input problem told to the worksheet: nothing then.
[[nodiscard]] std::optional<BasePrice> base_price(const model::ServiceTerms& terms, const model::Agreement& version,
                                                  Date day, std::int64_t position, Worksheet& sheet);

}  // namespace costcover::rating::detail
