// The counted volumes (daily_volume): what rating reads. Reads go through COPY and
// text-mode queries (numerics as text).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "rating/rating.hpp"

namespace costcover::store {

// daily_volume rows with from <= day <= to, per agency, ordered by day and id. An empty
// agency list means every agency.
[[nodiscard]] std::map<std::string, std::vector<rating::DailyVolume>> load_volumes(
    soci::session& session, Date from, Date to, const std::vector<std::string>& agencies);

// History for `per: year` windows: daily_volume rows of the given (agency, service) pairs
// with from <= day <= to, summed per agency, service, day and tag set (rating needs only
// those of history rows; business_days is 0), per agency, ordered by day.
[[nodiscard]] std::map<std::string, std::vector<rating::DailyVolume>> load_window_history(
    soci::session& session, Date from, Date to, const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace costcover::store
