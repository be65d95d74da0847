#include "db/job.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/error.hpp"
#include "db/query.hpp"

namespace costcover::db {
namespace {

// The backend of THIS database holding the lock: advisory locks (and relation oids) are
// per database, and pg_locks shows every database of the cluster (the tests' databases,
// or the quick start's two, side by side).
std::optional<long long> advisory_holder(soci::session& session, std::int64_t key) {
  const Rows rows =
      query(session,
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND ((classid::bigint << 32) | objid::bigint) = $1::bigint LIMIT 1",
            {std::to_string(key)});
  if (rows.empty()) return std::nullopt;
  return std::stoll(rows.text(0, 0));
}

void emit(const Notice& notice, const std::string& text) {
  if (notice) {
    notice(text);
  } else {
    std::fprintf(stderr, "costcover: %s\n", text.c_str());
  }
}

std::string counts_json(const std::map<std::string, std::int64_t>& counts) {
  std::string out = "{";
  for (const auto& [name, value] : counts) {
    if (out.size() > 1) out += ",";
    out += json_string(name) + ":" + std::to_string(value);
  }
  return out + "}";
}

// The run's bookkeeping statements have a known bound: they touch one row or the few
// 'running' rows of one lock. A statement timeout keeps them from hanging a job.
constexpr const char* kBookkeepingTimeout = "SET LOCAL statement_timeout = '30s'";

// How often a job runs when its transaction meets a transient error (a serialization
// failure, a deadlock, a lost connection): the first run and two retries.
constexpr int kAttempts = 3;

void close_run(soci::session& session, std::int64_t id, const std::string& outcome, const std::string& counts,
               const std::string& message) {
  exec(session,
       "UPDATE job_run SET outcome = $1, finished_at = clock_timestamp(), row_counts = CAST($2 AS jsonb), "
       "message = NULLIF($3, '') WHERE id = $4::bigint",
       {outcome, counts, message, std::to_string(id)});
}

std::string what_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "the job stopped with an unknown error";
  }
}

const DatabaseError* database_error(const std::exception_ptr& error, std::exception_ptr& holder,
                                    soci::session& session) {
  holder = as_database_error(error, session);
  if (!holder) return nullptr;
  try {
    std::rethrow_exception(holder);
  } catch (const DatabaseError& e) {
    return &e;  // lives as long as `holder`
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

std::int64_t advisory_key(const std::string& name) {
  // FNV-1a of "costcover:NAME", 63 bits: stable across versions and processes.
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : "costcover:" + name) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(hash >> 1);
}

std::string json_string(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
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

std::string describe_backend(soci::session& session, long long pid) {
  const Rows rows =
      query(session,
            "SELECT id, job, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM job_run "
            "WHERE outcome = 'running' AND backend_pid = $1::int ORDER BY id DESC LIMIT 1",
            {std::to_string(pid)});
  if (rows.empty()) return fmt::format("database pid {} (no job run recorded)", pid);
  return fmt::format("job run {} ({}, started {} UTC, database pid {})", rows.text(0, 0), rows.text(0, 1),
                     rows.text(0, 2), pid);
}

JobLock::JobLock(soci::session& session, const std::string& name, bool wait, const Notice& notice)
    : session_(session), key_(advisory_key(name)) {
  const std::string key = std::to_string(key_);
  if (scalar(session_, "SELECT pg_try_advisory_lock($1::bigint)::int", {key}) == "1") return;
  const auto holder = advisory_holder(session_, key_);
  const std::string who = holder ? describe_backend(session_, *holder) : std::string("another session");
  if (!wait) {
    throw std::runtime_error(
        fmt::format("another costcover job holds the {} lock: {}; wait for it, or run without "
                    "--no-wait to queue behind it",
                    name, who));
  }
  emit(notice, fmt::format("waiting for the {} lock, held by {} ...", name, who));
  const auto start = std::chrono::steady_clock::now();
  exec(session_, "SELECT pg_advisory_lock($1::bigint)", {key});
  const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - start;
  emit(notice, fmt::format("got the {} lock after {:.1f} s", name, waited.count()));
}

JobLock::~JobLock() {
  try {
    exec(session_, "SELECT pg_advisory_unlock($1::bigint)", {std::to_string(key_)});
  } catch (...) {  // NOLINT(bugprone-empty-catch): the session ending releases it anyway
  }
}

void lock_table(soci::session& session, const std::string& table, const std::string& mode, const std::string& what,
                const Notice& notice) {
  exec(session, "SAVEPOINT costcover_lock_table");
  try {
    exec(session, "LOCK TABLE " + table + " IN " + mode + " MODE NOWAIT");
    exec(session, "RELEASE SAVEPOINT costcover_lock_table");
    return;
  } catch (const DatabaseError& error) {
    if (error.sqlstate() != "55P03") throw;  // lock_not_available: someone holds it
  }
  exec(session, "ROLLBACK TO SAVEPOINT costcover_lock_table");
  const Rows holder = query(session,
                            "SELECT pid FROM pg_locks WHERE relation = to_regclass($1) AND granted "
                            "AND pid <> pg_backend_pid() "
                            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1",
                            {table});
  emit(notice, fmt::format("waiting for {}, held by {} ...", what,
                           holder.empty() ? std::string("another session")
                                          : describe_backend(session, std::stoll(holder.text(0, 0)))));
  exec(session, "LOCK TABLE " + table + " IN " + mode + " MODE");
  exec(session, "RELEASE SAVEPOINT costcover_lock_table");
  emit(notice, "done waiting for " + what);
}

void Job::notice(const std::string& text) const { emit(spec_.notice, text); }

// What run_job does, with access to the Job it hands the body.
class JobRunner {
 public:
  // One attempt: the lock, the run's row, the body and the run closed in one transaction.
  // Throws what the body threw, after rolling back and closing the run as failed when the
  // connection still works; `committing` tells whether the error came from the COMMIT.
  static void attempt(soci::session& session, const JobSpec& spec, Job& job, const std::function<void(Job&)>& body,
                      bool& committing, std::int64_t& run_id);
  static void run(soci::session& session, const JobSpec& spec, const std::function<void(Job&)>& body);
};

void JobRunner::attempt(soci::session& session, const JobSpec& spec, Job& job, const std::function<void(Job&)>& body,
                        bool& committing, std::int64_t& run_id) {
  const JobLock lock(session, spec.lock, spec.wait, spec.notice);
  {
    // We hold the lock, so no other run of it can be alive: runs left 'running' belong to
    // processes that were killed (or lost their connection) before closing them.
    Transaction bookkeeping(session);
    exec(session, kBookkeepingTimeout);
    exec(session,
         "UPDATE job_run SET outcome = 'interrupted', finished_at = clock_timestamp(), message = 'the process ended "
         "(killed, or its connection lost) before the run was closed; nothing of it was committed' "
         "WHERE outcome = 'running' AND lock_name = $1",
         {spec.lock});
    run_id = std::stoll(scalar(session,
                               "INSERT INTO job_run (job, parameters, inputs, lock_name, backend_pid) VALUES ($1, "
                               "CAST($2 AS jsonb), CAST($3 AS jsonb), $4, pg_backend_pid()) RETURNING id",
                               {spec.job, spec.parameters_json, spec.inputs_json, spec.lock}));
    bookkeeping.commit();
  }
  job.run_id_ = run_id;
  try {
    Transaction transaction(session);
    body(job);
    if (job.refused_) return;  // rolled back; the caller closes the run
    job.step_ = "committing";
    exec(session, kBookkeepingTimeout);
    if (!job.inputs_json_.empty()) {
      exec(session, "UPDATE job_run SET inputs = CAST($1 AS jsonb) WHERE id = $2::bigint",
           {job.inputs_json_, std::to_string(run_id)});
    }
    close_run(session, run_id, "succeeded", counts_json(job.counts_), job.message_);
    committing = true;
    transaction.commit();
  } catch (...) {
    if (connection_ok(session)) {
      try {
        Transaction bookkeeping(session);
        exec(session, kBookkeepingTimeout);
        close_run(session, run_id, "failed", counts_json(job.counts_), what_of(std::current_exception()));
        bookkeeping.commit();
      } catch (...) {  // NOLINT(bugprone-empty-catch): the error in flight is what matters;
                       // the next run of the lock marks this one interrupted
      }
    }
    throw;
  }
}

void run_job(soci::session& session, const JobSpec& spec, const std::function<void(Job&)>& body) {
  JobRunner::run(session, spec, body);
}

void JobRunner::run(soci::session& session, const JobSpec& spec, const std::function<void(Job&)>& body) {
  for (int number = 1;; ++number) {
    Job job(session, spec);
    bool committing = false;
    std::int64_t run_id = 0;
    try {
      attempt(session, spec, job, body, committing, run_id);
      if (job.refused_) {
        Transaction bookkeeping(session);
        exec(session, kBookkeepingTimeout);
        close_run(session, run_id, "failed", counts_json(job.counts_), job.message_);
        bookkeeping.commit();
        return;
      }
      for (const auto& action : job.after_commit_) {
        try {
          action();
        } catch (const std::exception& error) {
          job.notice(fmt::format("warning: job run {} is committed, but afterwards: {}", run_id, error.what()));
        }
      }
      return;
    } catch (...) {
      const std::exception_ptr original = std::current_exception();
      std::exception_ptr holder;
      const DatabaseError* error = database_error(original, holder, session);
      const std::string message = what_of(holder ? holder : original);
      const bool lost = !connection_ok(session) || (error != nullptr && error->connection_lost());
      // A transient error before the commit: the transaction rolled back whole, and the
      // job, being idempotent, runs again from the start (on a new connection if need be).
      const bool transient = error != nullptr && (lost || error->transient());
      if (transient && !committing && number < kAttempts && (!lost || reconnect(session))) {
        job.notice(fmt::format("{}: {} while {}; nothing was committed; running the job again (attempt {} of {})",
                               spec.job, message, job.step_, number + 1, kAttempts));
        continue;
      }
      if (lost && committing) {
        throw std::runtime_error(fmt::format(
            "{}: the connection to the database was lost while committing ({}); the run committed completely or not "
            "at all (job run {} says 'succeeded' if it did); running the same command again is safe either way",
            spec.job, message, run_id));
      }
      if (lost) {
        throw std::runtime_error(
            fmt::format("{}: the connection to the database was lost while {} ({}); nothing of "
                        "this run was committed, and running the same command again is safe",
                        spec.job, job.step_, message));
      }
      if (error != nullptr) {
        throw DatabaseError(error->sqlstate(), fmt::format("{}: while {}: {}", spec.job, job.step_, message), false);
      }
      throw;
    }
  }
}

}  // namespace costcover::db
