#include "db/job.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

namespace costcover::db {
namespace {

// A stable 63-bit key per job name (FNV-1a), in the namespace of costcover's locks.
std::int64_t lock_key(const std::string& job) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : "costcover:" + job) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(hash >> 1);
}

}  // namespace

std::string json_string(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

JobLock::JobLock(soci::session& session, const std::string& job, bool wait) : session_(session), key_(lock_key(job)) {
  if (wait) {
    session_ << "SELECT pg_advisory_lock(:k)", soci::use(key_);
    return;
  }
  int got = 0;
  session_ << "SELECT CASE WHEN pg_try_advisory_lock(:k) THEN 1 ELSE 0 END", soci::use(key_), soci::into(got);
  if (got == 0) {
    long long holder = 0;
    soci::indicator ind = soci::i_null;
    session_ << "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = :k LIMIT 1",
        soci::use(key_), soci::into(holder, ind);
    throw std::runtime_error(fmt::format("another costcover {} is running (advisory lock held by database pid {}); "
                                         "wait for it or run without --no-wait to queue behind it",
                                         job, ind == soci::i_ok ? std::to_string(holder) : std::string("?")));
  }
}

JobLock::~JobLock() {
  try {
    session_ << "SELECT pg_advisory_unlock(:k)", soci::use(key_);
  } catch (...) {  // NOLINT(bugprone-empty-catch): the session ending releases it anyway
  }
}

JobRun::JobRun(soci::session& session, const std::string& job, const std::string& parameters_json,
               const std::string& inputs_json)
    : session_(session) {
  // Runs of this job left 'running' by a killed process hold no lock any more.
  session_ << "UPDATE job_run SET outcome = 'interrupted', finished_at = clock_timestamp(), "
              "message = 'process ended without closing the run' "
              "WHERE job = :j AND outcome = 'running' AND NOT EXISTS ("
              "SELECT 1 FROM pg_stat_activity a WHERE a.pid = (job_run.row_counts->>'pid')::int)",
      soci::use(job);
  long long id = 0;
  session_ << "INSERT INTO job_run (job, parameters, inputs, row_counts) "
              "VALUES (:j, CAST(:p AS jsonb), CAST(:i AS jsonb), jsonb_build_object('pid', pg_backend_pid())) RETURNING id",
      soci::use(job), soci::use(parameters_json), soci::use(inputs_json), soci::into(id);
  id_ = id;
}

namespace {
std::string counts_json(const std::map<std::string, std::int64_t>& counts) {
  std::string out = "{";
  for (const auto& [name, value] : counts) {
    if (out.size() > 1) out += ",";
    out += json_string(name) + ":" + std::to_string(value);
  }
  return out + "}";
}
}  // namespace

void JobRun::succeed(const std::string& message) {
  const std::string counts = counts_json(counts_);
  long long id = id_;
  session_ << "UPDATE job_run SET outcome = 'succeeded', finished_at = clock_timestamp(), "
              "row_counts = CAST(:c AS jsonb), message = NULLIF(:m, '') WHERE id = :id",
      soci::use(counts), soci::use(message), soci::use(id);
  closed_ = true;
}

void JobRun::fail(const std::string& message) {
  const std::string counts = counts_json(counts_);
  long long id = id_;
  session_ << "UPDATE job_run SET outcome = 'failed', finished_at = clock_timestamp(), "
              "row_counts = CAST(:c AS jsonb), message = :m WHERE id = :id",
      soci::use(counts), soci::use(message), soci::use(id);
  closed_ = true;
}

JobRun::~JobRun() {
  if (closed_) return;
  try {
    fail("the job stopped with an error");
  } catch (...) {  // NOLINT(bugprone-empty-catch): never throw from a destructor
  }
}

}  // namespace costcover::db
