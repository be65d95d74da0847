// Every SQL statement on reject_resolution (sql/070_rejects_and_calendar.sql), and the
// reads of ingest_reject that `costcover rejects list` and `rejects resolve` need. The
// rules of "of the month" and "sent again" are the SQL functions reject_of_period() and
// reject_redelivered_by(), shared with billing_readiness(). docs/ingest.md, "Rejects and
// their decisions".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "ingest/reject_state.hpp"

namespace costcover::store {

enum class RejectStatusFilter { open, resolved, all };

struct RejectFilter {
  std::optional<Month> period;             // of the month (reject_of_period)
  std::optional<std::string> source;       // ingest_reject.source
  std::optional<std::string> reason_code;  // ingest_reject.reason_code
  RejectStatusFilter status = RejectStatusFilter::open;
};

// The rejects the filter selects, in (load, line) order, each with its status.
[[nodiscard]] std::vector<ingest::RejectEntry> list_rejects(soci::session& session, const RejectFilter& filter);

// The rejects of one load at these lines, in the order asked, locked FOR UPDATE (a
// second `rejects resolve` of the same rows waits, then sees the first one's decisions);
// a line the load did not reject is missing from the result.
[[nodiscard]] std::vector<ingest::RejectEntry> lock_rejects(soci::session& session, std::int64_t load_id,
                                                            const std::vector<std::int64_t>& lines);

// Whether an ingest_load with this id exists.
[[nodiscard]] bool load_exists(soci::session& session, std::int64_t load_id);

struct Decision {
  std::int64_t load_id = 0;
  std::int64_t line = 0;
  ingest::Resolution resolution = ingest::Resolution::waived;
  std::string note;
  std::optional<std::int64_t> redelivered_load_id;  // redelivered: the later load
  std::string os_user;                              // who ran costcover
  std::int64_t job_run_id = 0;
};
// Records the decisions (db_user = session_user, resolved_at = now()).
void insert_decisions(soci::session& session, const std::vector<Decision>& decisions);

}  // namespace costcover::store
