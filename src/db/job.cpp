#include "db/job.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "db/error.hpp"

namespace costcover::db {
namespace {

std::optional<long long> advisory_holder(soci::session& session, std::int64_t key) {
  long long pid = 0;
  soci::indicator ind = soci::i_null;
  session << "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() "
             "AND ((classid::bigint << 32) | objid::bigint) = :k LIMIT 1",
      soci::use(key), soci::into(pid, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return pid;
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

void close_run(soci::session& session, long long id, const std::string& outcome, const std::string& counts,
               const std::string& message) {
  session << "UPDATE job_run SET outcome = :o, finished_at = clock_timestamp(), row_counts = CAST(:c AS jsonb), "
             "message = NULLIF(:m, '') WHERE id = :id",
      soci::use(outcome), soci::use(counts), soci::use(message), soci::use(id);
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

bool connection_lost(const std::exception_ptr& database) {
  if (!database) return false;
  try {
    std::rethrow_exception(database);
  } catch (const DatabaseError& error) {
    return error.connection_lost();
  } catch (...) {
    return false;
  }
}

std::string sqlstate_of(const std::exception_ptr& database) {
  try {
    std::rethrow_exception(database);
  } catch (const DatabaseError& error) {
    return error.sqlstate();
  } catch (...) {
    return {};
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

std::string describe_backend(soci::session& session, long long pid) {
  long long id = 0;
  std::string job;
  std::string started;
  soci::indicator ind = soci::i_null;
  session << "SELECT id, job, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM job_run "
             "WHERE outcome = 'running' AND backend_pid = :p ORDER BY id DESC LIMIT 1",
      soci::use(pid), soci::into(id, ind), soci::into(job), soci::into(started);
  if (ind != soci::i_ok) return fmt::format("database pid {} (no job run recorded)", pid);
  return fmt::format("job run {} ({}, started {} UTC, database pid {})", id, job, started, pid);
}

JobLock::JobLock(soci::session& session, const std::string& name, bool wait, const Notice& notice)
    : session_(session), key_(advisory_key(name)) {
  int got = 0;
  session_ << "SELECT CASE WHEN pg_try_advisory_lock(:k) THEN 1 ELSE 0 END", soci::use(key_), soci::into(got);
  if (got != 0) return;
  const auto holder = advisory_holder(session_, key_);
  const std::string who = holder ? describe_backend(session_, *holder) : std::string("another session");
  if (!wait) {
    throw std::runtime_error(fmt::format("another costcover job holds the {} lock: {}; wait for it, or run without "
                                         "--no-wait to queue behind it",
                                         name, who));
  }
  emit(notice, fmt::format("waiting for the {} lock, held by {} ...", name, who));
  const auto start = std::chrono::steady_clock::now();
  session_ << "SELECT pg_advisory_lock(:k)", soci::use(key_);
  const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - start;
  emit(notice, fmt::format("got the {} lock after {:.1f} s", name, waited.count()));
}

JobLock::~JobLock() {
  try {
    session_ << "SELECT pg_advisory_unlock(:k)", soci::use(key_);
  } catch (...) {  // NOLINT(bugprone-empty-catch): the session ending releases it anyway
  }
}

void lock_table(soci::session& session, const std::string& table, const std::string& mode, const std::string& what,
                const Notice& notice) {
  session << "SAVEPOINT costcover_lock_table";
  try {
    session << "LOCK TABLE " + table + " IN " + mode + " MODE NOWAIT";
    session << "RELEASE SAVEPOINT costcover_lock_table";
    return;
  } catch (const soci::soci_error& error) {
    if (from_soci(error, session).sqlstate() != "55P03") throw;  // lock_not_available: someone holds it
  }
  session << "ROLLBACK TO SAVEPOINT costcover_lock_table";
  long long pid = 0;
  soci::indicator ind = soci::i_null;
  session << "SELECT pid FROM pg_locks WHERE relation = to_regclass(:t) AND granted AND pid <> pg_backend_pid() LIMIT 1",
      soci::use(table), soci::into(pid, ind);
  emit(notice, fmt::format("waiting for {}, held by {} ...", what,
                           ind == soci::i_ok ? describe_backend(session, pid) : std::string("another session")));
  session << "LOCK TABLE " + table + " IN " + mode + " MODE";
  session << "RELEASE SAVEPOINT costcover_lock_table";
  emit(notice, "done waiting for " + what);
}

void Job::notice(const std::string& text) const { emit(spec_.notice, text); }

void run_job(soci::session& session, const JobSpec& spec, const std::function<void(Job&)>& body) {
  Job job(session, spec);
  const JobLock lock(session, spec.lock, spec.wait, spec.notice);
  {
    // We hold the lock, so no other run of it can be alive: runs left 'running' belong to
    // processes that were killed (or lost their connection) before closing them.
    long long id = 0;
    soci::transaction bookkeeping(session);
    session << kBookkeepingTimeout;
    session << "UPDATE job_run SET outcome = 'interrupted', finished_at = clock_timestamp(), "
               "message = 'the process ended (killed, or its connection lost) before the run was closed; nothing of "
               "it was committed' WHERE outcome = 'running' AND lock_name = :l",
        soci::use(spec.lock);
    session << "INSERT INTO job_run (job, parameters, inputs, lock_name, backend_pid) VALUES (:j, CAST(:p AS jsonb), "
               "CAST(:i AS jsonb), :l, pg_backend_pid()) RETURNING id",
        soci::use(spec.job), soci::use(spec.parameters_json), soci::use(spec.inputs_json), soci::use(spec.lock),
        soci::into(id);
    bookkeeping.commit();
    job.run_id_ = id;
  }
  const long long id = job.run_id_;
  bool committing = false;
  try {
    session.begin();
    body(job);
    if (job.refused_) {
      session.rollback();
      soci::transaction bookkeeping(session);
      session << kBookkeepingTimeout;
      close_run(session, id, "failed", counts_json(job.counts_), job.message_);
      bookkeeping.commit();
      return;
    }
    job.step_ = "committing";
    session << kBookkeepingTimeout;
    if (!job.inputs_json_.empty()) {
      session << "UPDATE job_run SET inputs = CAST(:i AS jsonb) WHERE id = :id", soci::use(job.inputs_json_),
          soci::use(id);
    }
    close_run(session, id, "succeeded", counts_json(job.counts_), job.message_);
    committing = true;
    session.commit();
  } catch (...) {
    const std::exception_ptr original = std::current_exception();
    const std::exception_ptr database = as_database_error(original, session);
    const std::string message = what_of(database ? database : original);
    if (!connection_ok(session) || connection_lost(database)) {
      if (committing) {
        throw std::runtime_error(fmt::format(
            "{}: the connection to the database was lost while committing ({}); the run committed completely or not "
            "at all (job run {} says 'succeeded' if it did); running the same command again is safe either way",
            spec.job, message, id));
      }
      throw std::runtime_error(fmt::format("{}: the connection to the database was lost while {} ({}); nothing of this "
                                           "run was committed, and running the same command again is safe",
                                           spec.job, job.step_, message));
    }
    try {
      session.rollback();
      soci::transaction bookkeeping(session);
      session << kBookkeepingTimeout;
      close_run(session, id, "failed", counts_json(job.counts_), message);
      bookkeeping.commit();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the original error is what matters; the
                     // next run of the lock marks this one interrupted
    }
    if (database) {
      throw DatabaseError(sqlstate_of(database), fmt::format("{}: while {}: {}", spec.job, job.step_, message), false);
    }
    std::rethrow_exception(original);
  }
  for (const auto& action : job.after_commit_) {
    try {
      action();
    } catch (const std::exception& error) {
      job.notice(fmt::format("warning: job run {} is committed, but afterwards: {}", id, error.what()));
    }
  }
}

}  // namespace costcover::db
