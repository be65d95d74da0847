// Job bookkeeping shared by every batch job: the job_run record and the advisory lock
// that keeps two copies of a job from running at once.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <soci/soci.h>

namespace costcover::db {

// Holds a session-level PostgreSQL advisory lock named after the job for its lifetime.
// With wait=false, a lock held by another copy throws std::runtime_error
// "another costcover <job> is running (advisory lock held by pid N)".
class JobLock {
public:
  JobLock(soci::session& session, const std::string& job, bool wait);
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

private:
  soci::session& session_;
  std::int64_t key_;
};

// A row of job_run. The constructor inserts it (outcome 'running', committed at once, in
// its own statement outside the job's transaction); succeed()/fail() close it. Runs left
// 'running' by a killed process are marked 'interrupted' by the next run of the same job.
class JobRun {
public:
  JobRun(soci::session& session, const std::string& job, const std::string& parameters_json,
         const std::string& inputs_json = "{}");
  [[nodiscard]] std::int64_t id() const { return id_; }
  void count(const std::string& name, std::int64_t value) { counts_[name] = value; }
  void succeed(const std::string& message = "");
  void fail(const std::string& message);
  ~JobRun();  // fails the run if neither succeed() nor fail() was called

private:
  soci::session& session_;
  std::int64_t id_ = 0;
  bool closed_ = false;
  std::map<std::string, std::int64_t> counts_;
};

// JSON string literal for a value ("a\"b" -> "\"a\\\"b\""), for building parameters_json.
[[nodiscard]] std::string json_string(const std::string& value);

}  // namespace costcover::db
