// The reject workflow (`costcover rejects list`, `costcover rejects resolve`): what the
// loads rejected and the finance office's decisions on it, which billing_readiness()
// counts (an open reject of the month holds `costcover bill` back). A decision is
// recorded once, never changed; every SQL statement is in store/rejects. docs/ingest.md,
// "Rejects and their decisions".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "db/job.hpp"
#include "ingest/reject_state.hpp"
#include "store/rejects.hpp"

namespace costcover::jobs {

// Reads only: no job run, no lock.
[[nodiscard]] std::vector<ingest::RejectEntry> list_rejects(soci::session& session, const store::RejectFilter& filter);

struct ResolveOptions {
  std::int64_t load_id = 0;
  std::vector<std::int64_t> lines;  // at least one, no line twice
  ingest::Resolution resolution = ingest::Resolution::waived;
  std::string note;     // needed (not blank) for waived
  std::string os_user;  // who runs costcover
  std::string parameters_json = "{}";
  db::Notice notice;  // "waiting for the ingest lock ..." (default: stderr)
};

struct ResolveReport {
  std::int64_t job_run_id = 0;
  std::vector<store::Decision> decisions;  // in the order of the lines asked
};

// Records one decision per line, all in one transaction under the advisory lock 'ingest'
// (no load can land between the check of a redelivery and its record), or none: an
// InputError names the load, the line and what is wrong (no such reject, a decision
// already recorded, redelivered without a later load holding its key, waived without a
// note).
[[nodiscard]] ResolveReport resolve_rejects(soci::session& session, const ResolveOptions& options);

}  // namespace costcover::jobs
