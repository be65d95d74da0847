// `costcover nightly`: recounts daily_volume for the (agency, service, Helsinki day) keys
// that loads touched since the last run (ingest_dirty_day): per key, tag set and
// processing time in Finnish business days (business_calendar ordinals), the delivered
// and the cancelled transactions and quantities. One set-based statement per month of
// touched days, all in ONE transaction together with the removal of the keys it counted,
// under the advisory lock 'nightly', with the job run closed in that transaction. Running it again changes nothing:
// rows whose counts did not change are not rewritten (their id and counted_at stay).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "db/job.hpp"

namespace costcover::jobs {

struct NightlyOptions {
  std::optional<Date> up_to;  // --date D: count only touched days <= D
  bool wait = true;           // false: fail at once when another nightly runs
  std::string parameters_json = "{}";
  db::Notice notice;  // "waiting for ..." (default: stderr)
};

struct NightlyReport {
  std::int64_t keys = 0;           // (agency, service, day) keys recounted
  std::int64_t groups = 0;         // daily_volume rows those keys have now
  std::int64_t written = 0;        // rows inserted or changed
  std::int64_t removed = 0;        // rows no longer backed by any transaction
  std::int64_t transactions = 0;   // transactions counted (delivered + cancelled)
  std::int64_t calendar_rows = 0;  // business_calendar rows written
  std::int64_t still_dirty = 0;    // keys left for later (days after --date)
  std::int64_t job_run_id = 0;
};

[[nodiscard]] NightlyReport run_nightly(soci::session& session, const NightlyOptions& options);

}  // namespace costcover::jobs
