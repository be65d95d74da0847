// Every batch job runs through run_job: the advisory lock that keeps jobs which must not
// overlap apart, the job_run record, and ONE transaction that holds the job's writes
// together with the run's outcome.
//
// Invariants:
// - a job's job_run row says 'succeeded' exactly when its writes are committed: the row
//   is inserted (outcome 'running') before the job's transaction and closed inside it, so
//   a kill before COMMIT leaves 'running' (later marked 'interrupted') and nothing else;
// - while a job holds its lock no other run of the same lock can be alive, so every
//   'running' row of that lock is marked 'interrupted' when the lock is taken;
// - a job that waits for a lock says so, naming the job run that holds it;
// - when the connection is lost the error says what the job was doing and that nothing
//   of the run was committed (or, lost during COMMIT, that the run committed completely or
//   not at all), and that running it again is safe: every job is idempotent.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

namespace costcover::db {

// The advisory locks. Jobs that share a lock serialise: every job that writes invoices
// (bill, finalize, credit, settle, contracts load, which removes stale drafts) takes
// kInvoicesLock, so no interleaving can finalise a month twice.
inline constexpr const char* kInvoicesLock = "invoices";
inline constexpr const char* kIngestLock = "ingest";
inline constexpr const char* kNightlyLock = "nightly";
inline constexpr const char* kCostsLock = "costs";
inline constexpr const char* kMigrationLock = "migrate";

// The advisory-lock key of a lock name.
[[nodiscard]] std::int64_t advisory_key(const std::string& name);

// Where a job's notices go ("waiting for ..."): the CLI prints them on stderr.
using Notice = std::function<void(const std::string&)>;

// Holds a session-level PostgreSQL advisory lock for its lifetime. When another session
// holds it: with wait=false throws std::runtime_error "another costcover job holds the
// <name> lock: job run N (...)"; with wait=true tells `notice` what it waits for, then waits.
class JobLock {
 public:
  JobLock(soci::session& session, const std::string& name, bool wait, const Notice& notice = {});
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

 private:
  soci::session& session_;
  std::int64_t key_;
};

// "job run 17 (bill, started 2026-11-03 08:15:02 UTC, database pid 4242)" for the session
// with this backend pid, or "database pid 4242 (no job run recorded)".
[[nodiscard]] std::string describe_backend(soci::session& session, long long pid);

// Takes a table lock inside the current transaction; when it is not granted at once,
// tells `notice` who holds it ("waiting for <what>: held by job run N ...") and waits.
void lock_table(soci::session& session, const std::string& table, const std::string& mode, const std::string& what,
                const Notice& notice);

struct JobSpec {
  JobSpec(std::string job_name, std::string lock_name, std::string parameters = "{}", std::string inputs = "{}")
      : job(std::move(job_name)),
        lock(std::move(lock_name)),
        parameters_json(std::move(parameters)),
        inputs_json(std::move(inputs)) {}
  std::string job;                     // job_run.job: "bill", "finalize", "ingest" ...
  std::string lock;                    // one of the k...Lock names
  std::string parameters_json = "{}";  // job_run.parameters
  std::string inputs_json = "{}";      // job_run.inputs: input files and their hashes
  bool wait = true;                    // false: fail at once when the lock is held
  Notice notice;                       // default: stderr
};

// What the body of a job sees.
class Job {
 public:
  Job(soci::session& session, const JobSpec& spec) : session_(session), spec_(spec) {}
  [[nodiscard]] soci::session& session() { return session_; }
  [[nodiscard]] std::int64_t run_id() const { return run_id_; }
  // What the job does now, for the message when the connection is lost ("writing the drafts").
  void step(std::string what) { step_ = std::move(what); }
  [[nodiscard]] const std::string& current_step() const { return step_; }
  void count(const std::string& name, std::int64_t value) { counts_[name] = value; }
  void set_inputs(std::string inputs_json) { inputs_json_ = std::move(inputs_json); }
  void set_message(std::string message) { message_ = std::move(message); }
  // Ends the run as 'failed' with this message without an exception: the transaction
  // rolls back, run_job returns normally (a refusal such as "the month is not ready").
  void refuse(std::string message) {
    refused_ = true;
    message_ = std::move(message);
  }
  [[nodiscard]] bool refused() const { return refused_; }
  // Runs after a successful COMMIT (renaming a file into place). A failure there cannot
  // change the committed outcome: it is reported as a notice.
  void after_commit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }
  void notice(const std::string& text) const;

 private:
  friend class JobRunner;  // job.cpp: runs the attempts
  soci::session& session_;
  const JobSpec& spec_;
  std::int64_t run_id_ = 0;
  std::string step_ = "starting";
  std::map<std::string, std::int64_t> counts_;
  std::string inputs_json_;
  std::string message_;
  bool refused_ = false;
  std::vector<std::function<void()>> after_commit_;
};

// Takes the lock, records the run, runs body in one transaction and closes the run in
// it. Exceptions from the body propagate (after the rollback and the run marked failed);
// database errors come out as DatabaseError, and a lost connection as a
// std::runtime_error saying what the job was doing and that a re-run is safe.
// A transient error before the commit (serialization failure 40001, deadlock 40P01, a
// lost connection) runs the whole job again, on a new connection if need be, at most
// twice, each retry told to `notice`; so `body` may run more than once and must start
// from scratch each time (reset what it fills in).
void run_job(soci::session& session, const JobSpec& spec, const std::function<void(Job&)>& body);

// JSON string literal for a value ("a\"b" -> "\"a\\\"b\""), for building parameters_json.
[[nodiscard]] std::string json_string(const std::string& value);

}  // namespace costcover::db
