// The counted volumes (daily_volume): the nightly count's writes, which take the touched
// keys out of ingest_dirty_day (the loads put them there: store/transactions), and what
// rating reads. Reads go through COPY and text-mode queries (numerics as text).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "db/job.hpp"
#include "rating/rating.hpp"

namespace costcover::store {

// ---- The nightly count (jobs/nightly), in its one transaction

// Locks ingest_dirty_day against loads while the count runs (they mark keys last, so no
// key can be marked between the count and its removal), telling `notice` when it waits,
// and sets the count's plan settings (hash joins: the planner cannot estimate the join
// with the touched keys well).
void begin_count_transaction(soci::session& session, const db::Notice& notice);

// The first days of the months that have touched days (up to `up_to`), in order.
[[nodiscard]] std::vector<Date> touched_months(soci::session& session, const std::optional<Date>& up_to);

struct MonthRecount {
  std::int64_t keys = 0;          // (agency, service, day) keys recounted
  std::int64_t groups = 0;        // daily_volume rows those keys have now
  std::int64_t written = 0;       // rows inserted or changed
  std::int64_t removed = 0;       // rows no longer backed by any transaction
  std::int64_t transactions = 0;  // transactions counted (delivered + cancelled)
};
// Takes the month's touched keys (days up to `up_to`) out of ingest_dirty_day, counts
// them in one statement (per agency, service, day, tag set and business days; the
// delivered and the cancelled transactions and quantities), writes the rows whose counts
// changed and removes the rows of those keys that nothing backs any more.
[[nodiscard]] MonthRecount recount_month(soci::session& session, Date month, const std::optional<Date>& up_to);

// The touched keys left in ingest_dirty_day.
[[nodiscard]] std::int64_t touched_keys_left(soci::session& session);

// Statistics true for what was written (billing plans its reads on them).
void analyze_volumes(soci::session& session);

// ---- Rating's reads

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
