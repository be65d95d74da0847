// The job machinery against a real PostgreSQL and the real program: jobs that must not
// overlap serialise (bill and finalize of one month, at varied delays), a job waiting for
// a lock names the job run it waits for, a killed client leaves no work on the server,
// the outcome in job_run is the outcome of the data (a kill after the commit, a reject
// file that cannot be written), a lost connection says what the job was doing, and every
// load leaves the planner's statistics true for what it wrote.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <soci/soci.h>

#include "db/connection.hpp"
#include "db/error.hpp"
#include "db/job.hpp"
#include "demo/generate.hpp"
#include "ingest/timestamp.hpp"
#include "jobs/ingest.hpp"
#include "test_database.hpp"

namespace costcover {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::run_costcover;
using testing::TempDir;
using testing::TestDatabase;

long long count(soci::session& session, const std::string& sql) {
  long long value = 0;
  session << sql, soci::into(value);
  return value;
}

std::string contracts_dir() { return testing::source_dir() + "/contracts"; }

void run_ok(TestDatabase& db, const std::string& args) {
  const auto result = run_costcover(db.connection_string(), args);
  ASSERT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
}

// The program started in the background, its stderr readable while it runs.
class Child {
 public:
  Child(const std::string& conninfo, const std::vector<std::string>& args) {
    int err[2];
    if (pipe(err) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      setenv("COSTCOVER_DATABASE_URL", conninfo.c_str(), 1);
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(err[1], 2);
      close(err[0]);
      std::vector<char*> argv;
      const std::string binary = testing::costcover_binary();
      argv.push_back(const_cast<char*>(binary.c_str()));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(err[1]);
    err_ = err[0];
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(err_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads stderr until it holds `text` or the time is up; true when found.
  bool wait_for(const std::string& text, std::chrono::seconds limit = 30s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (stderr_.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd fd{err_, POLLIN, 0};
      if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) return false;
      char buffer[4096];
      const ssize_t got = read(err_, buffer, sizeof buffer);
      if (got <= 0) return stderr_.find(text) != std::string::npos;
      stderr_.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
  }
  // Waits for the end; returns the exit status (-signal when killed). Reads what is left.
  int finish() {
    wait_for("\x01never\x01", 120s);  // to the end of stderr
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  [[nodiscard]] const std::string& err() const { return stderr_; }

 private:
  pid_t pid_ = -1;
  int err_ = -1;
  bool reaped_ = false;
  std::string stderr_;
};

// The sample contracts; billing a month of 2026 without transactions still gives every
// agency its fees and true-ups.
void load_contracts(TestDatabase& db) { run_ok(db, "contracts load '" + contracts_dir() + "'"); }

// Issue 11, item 1: `bill` while `finalize` runs must not finalise a month twice. For
// each month a first bill makes the drafts; then bill and finalize start together (the
// finalize a few milliseconds later, different each month), then finalize once more.
TEST(Jobs, BillAndFinalizeTogetherFinaliseEachMonthOnce) {
  TestDatabase db;
  load_contracts(db);
  auto& session = db.session();
  const std::vector<int> delays_ms = {0, 5, 10, 20, 30, 35, 40, 45, 50, 60, 80, 120};
  for (std::size_t m = 0; m < delays_ms.size(); ++m) {
    const std::string period = fmt::format("2026-{:02}", m + 1);
    run_ok(db, "bill --early --period " + period);  // --early: December may not have ended yet
    const long long drafts =
        count(session, "SELECT count(*) FROM invoice WHERE status = 'draft' AND period = '" + period + "'");
    ASSERT_GT(drafts, 0) << period;
    Child bill(db.connection_string(), {"bill", "--early", "--period", period});
    std::this_thread::sleep_for(std::chrono::milliseconds(delays_ms[m]));
    const auto first =
        run_costcover(db.connection_string(), "finalize --period " + period + " --issue-date 2027-01-05");
    EXPECT_EQ(bill.finish(), 0) << period << ": " << bill.err();
    const auto second =
        run_costcover(db.connection_string(), "finalize --period " + period + " --issue-date 2027-01-05");
    EXPECT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(second.status, 0) << second.err;
    // The first finalisation finds the drafts (the bill's, or the ones before it).
    EXPECT_NE(first.out.find(fmt::format("{} invoice(s) numbered", drafts)), std::string::npos)
        << period << " after " << delays_ms[m] << " ms:\n"
        << first.out << first.err;
    EXPECT_NE(second.out.find("no draft invoices to finalise"), std::string::npos) << period << ": " << second.out;
    EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE status = 'final' AND period = '" + period + "'"),
              drafts)
        << period << " after " << delays_ms[m] << " ms";
    EXPECT_EQ(
        count(session,
              "SELECT count(*) FROM (SELECT agency, vat_group FROM invoice WHERE status = 'final' AND period = '" +
                  period + "' GROUP BY 1, 2 HAVING count(*) > 1) twice"),
        0)
        << period;
  }
  // Every run of every job is closed, and the invoice numbers have no gap.
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'running'"), 0);
  EXPECT_EQ(count(session, "SELECT max(substr(number, 6)::int) - count(*) FROM invoice WHERE status = 'final'"), 0);
}

// A finalisation refuses, in the database's terms, to make a second final invoice of a
// month (whatever client made the draft).
TEST(Jobs, FinalizeRefusesASecondFinalInvoiceOfAMonth) {
  TestDatabase db;
  load_contracts(db);
  auto& session = db.session();
  run_ok(db, "bill --period 2026-03");
  run_ok(db, "finalize --period 2026-03 --issue-date 2026-04-01");
  // A draft for a final month, made behind the program's back (copying a final invoice).
  session << "INSERT INTO invoice (status, kind, agency, period, vat_group, payment_terms_days, buyer_reference, "
             "net_total, vat_total, gross_total) SELECT 'draft', 'invoice', agency, period, vat_group, "
             "payment_terms_days, buyer_reference, net_total, vat_total, gross_total FROM invoice "
             "WHERE status = 'final' ORDER BY number LIMIT 1";
  const auto result = run_costcover(db.connection_string(), "finalize --period 2026-03 --issue-date 2026-04-01");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("is already final as invoice 2026-000001: a month is finalised once"), std::string::npos)
      << result.err;
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE status = 'draft'"), 1);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE job = 'finalize' AND outcome = 'failed'"), 1);
}

// Issue 11, item 3: a job that waits for a lock says so and names the run holding it.
TEST(Jobs, AJobWaitingForALockNamesTheRunHoldingIt) {
  TestDatabase db;
  load_contracts(db);
  auto holder = db::connect(db.connection_string());
  std::promise<void> release;
  std::promise<std::int64_t> holding;
  std::thread held([&] {
    db::JobSpec spec("finalize", db::kInvoicesLock);
    db::run_job(*holder, spec, [&](db::Job& job) {
      holding.set_value(job.run_id());
      release.get_future().wait();
    });
  });
  const std::int64_t run_id = holding.get_future().get();
  Child bill(db.connection_string(), {"bill", "--period", "2026-05"});
  const bool said =
      bill.wait_for(fmt::format("waiting for the invoices lock, held by job run {} (finalize, started", run_id));
  release.set_value();
  held.join();
  EXPECT_TRUE(said) << bill.err();
  EXPECT_EQ(bill.finish(), 0) << bill.err();
  EXPECT_NE(bill.err().find("got the invoices lock after"), std::string::npos) << bill.err();
}

// ... and so does a load waiting for the nightly count, which holds ingest_dirty_day.
TEST(Jobs, ALoadWaitingForTheNightlyCountSaysSo) {
  TestDatabase db;
  load_contracts(db);
  TempDir dir("ccjobs");
  run_ok(db, "generate --month 2026-10 --scale 0.01 --out '" + dir.path().string() + "'");
  auto holder = db::connect(db.connection_string());
  std::promise<void> release;
  std::promise<std::int64_t> holding;
  std::thread held([&] {
    db::JobSpec spec("nightly", db::kNightlyLock);
    db::run_job(*holder, spec, [&](db::Job& job) {
      *holder << "LOCK TABLE ingest_dirty_day IN SHARE ROW EXCLUSIVE MODE";
      holding.set_value(job.run_id());
      release.get_future().wait();
    });
  });
  const std::int64_t run_id = holding.get_future().get();
  Child load(db.connection_string(),
             {"ingest", "--source", "hr", "--as-of", "2026-11-15", (dir.path() / "hr.csv").string()});
  const bool said = load.wait_for(
      fmt::format("waiting for the nightly count to finish, held by job run {} (nightly, started", run_id));
  release.set_value();
  held.join();
  EXPECT_TRUE(said) << load.err();
  EXPECT_EQ(load.finish(), 0) << load.err();
}

// Issue 11, item 3: a killed client must not leave its statement running on the server.
TEST(Jobs, AKilledClientLeavesNoWorkOnTheServer) {
  TestDatabase db;
  const pid_t child = fork();
  if (child == 0) {
    try {
      auto session = db::connect(db.connection_string());
      *session << "SELECT pg_sleep(600)";
    } catch (...) {
    }
    _exit(0);
  }
  auto& session = db.session();
  const std::string sleeping =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
      "AND query = 'SELECT pg_sleep(600)' AND state = 'active'";
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (count(session, sleeping) == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
  ASSERT_EQ(count(session, sleeping), 1) << "the child never started its statement";
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  // The server checks the client's socket every second while a statement runs.
  const auto gone_by = std::chrono::steady_clock::now() + 15s;
  while (count(session, sleeping) > 0 && std::chrono::steady_clock::now() < gone_by) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(count(session, sleeping), 0) << "the killed client's statement still runs on the server";
}

// Issue 11, item 11: a job killed just after its commit is 'succeeded', not 'interrupted':
// the run is closed in the job's own transaction.
TEST(Jobs, AJobKilledAfterItsCommitIsRecordedAsSucceeded) {
  TestDatabase db;
  db.session() << "CREATE TABLE job_probe (n int)";
  const pid_t child = fork();
  if (child == 0) {
    try {
      auto session = db::connect(db.connection_string());
      db::JobSpec spec("contracts load", db::kInvoicesLock);
      db::run_job(*session, spec, [&](db::Job& job) {
        *session << "INSERT INTO job_probe VALUES (1)";
        job.after_commit([] { raise(SIGKILL); });
      });
    } catch (...) {
    }
    _exit(3);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  auto& session = db.session();
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_probe"), 1);
  // The next run of the same lock marks left-over runs interrupted; this one is closed.
  db::run_job(session, db::JobSpec("contracts load", db::kInvoicesLock), [](db::Job&) {});
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'succeeded'"), 2);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome <> 'succeeded'"), 0);
}

// A job killed before its commit leaves nothing but a 'running' row, which the next run of
// the same lock marks interrupted at once (whatever pg_stat_activity shows by then).
TEST(Jobs, AJobKilledBeforeItsCommitIsMarkedInterruptedByTheNextRun) {
  TestDatabase db;
  db.session() << "CREATE TABLE job_probe (n int)";
  const pid_t child = fork();
  if (child == 0) {
    try {
      auto session = db::connect(db.connection_string());
      db::run_job(*session, db::JobSpec("ingest", db::kIngestLock), [&](db::Job&) {
        *session << "INSERT INTO job_probe VALUES (1)";
        raise(SIGKILL);
      });
    } catch (...) {
    }
    _exit(3);
  }
  waitpid(child, nullptr, 0);
  auto& session = db.session();
  db::run_job(session, db::JobSpec("ingest", db::kIngestLock), [](db::Job&) {});
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_probe"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'interrupted'"), 1);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'running'"), 0);
  // A run of another lock leaves it alone.
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'succeeded'"), 1);
}

// A transient error (here a serialization failure) before the commit runs the whole job
// again; what the failed attempt wrote is gone with its transaction.
TEST(Jobs, ATransientErrorRunsTheJobAgain) {
  TestDatabase db;
  auto& session = db.session();
  session << "CREATE TABLE job_probe (n int)";
  std::vector<std::string> notices;
  db::JobSpec spec("bill", db::kInvoicesLock);
  spec.notice = [&](const std::string& text) { notices.push_back(text); };
  int runs = 0;
  db::run_job(session, spec, [&](db::Job& job) {
    ++runs;
    job.step("writing the probe");
    session << "INSERT INTO job_probe VALUES (1)";
    if (runs == 1) throw db::DatabaseError("40001", "could not serialize access due to concurrent update", false);
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_probe"), 1);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM job_run WHERE outcome = 'failed' AND message LIKE "
                  "'could not serialize%'"),
            1);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'succeeded'"), 1);
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0],
            "bill: could not serialize access due to concurrent update while writing the probe; nothing "
            "was committed; running the job again (attempt 2 of 3)");
}

// ... at most twice: the third failure is the job's.
TEST(Jobs, ATransientErrorIsRetriedTwiceAtMost) {
  TestDatabase db;
  auto& session = db.session();
  int runs = 0;
  db::JobSpec spec("nightly", db::kNightlyLock);
  spec.notice = [](const std::string&) {};
  EXPECT_THROW(db::run_job(session, spec,
                           [&](db::Job&) {
                             ++runs;
                             throw db::DatabaseError("40P01", "deadlock detected", false);
                           }),
               db::DatabaseError);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE outcome = 'failed'"), 3);
}

// A connection lost before the commit: the job runs again on a new connection, and the
// run the lost connection left 'running' is marked interrupted.
TEST(Jobs, ALostConnectionIsRetriedOnANewConnection) {
  TestDatabase db;
  db.session() << "CREATE TABLE job_probe (n int)";
  auto session = db::connect(db.connection_string());
  std::vector<std::string> notices;
  db::JobSpec spec("ingest", db::kIngestLock);
  spec.notice = [&](const std::string& text) { notices.push_back(text); };
  int runs = 0;
  db::run_job(*session, spec, [&](db::Job&) {
    ++runs;
    *session << "INSERT INTO job_probe VALUES (1)";
    if (runs == 1) *session << "SELECT pg_terminate_backend(pg_backend_pid())";
  });
  EXPECT_EQ(runs, 2);
  auto& check = db.session();
  EXPECT_EQ(count(check, "SELECT count(*) FROM job_probe"), 1);
  EXPECT_EQ(count(check, "SELECT count(*) FROM job_run WHERE outcome = 'interrupted'"), 1);
  EXPECT_EQ(count(check, "SELECT count(*) FROM job_run WHERE outcome = 'succeeded'"), 1);
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_NE(notices[0].find("running the job again (attempt 2 of 3)"), std::string::npos) << notices[0];
}

// Issue 11, item 7: when the reject file cannot be written the load fails before its
// commit, so the outcome it reports is the outcome in the database.
TEST(Jobs, ARejectFileThatCannotBeWrittenFailsTheWholeLoad) {
  TestDatabase db;
  load_contracts(db);
  TempDir dir("ccjobs");
  const std::string csv = testing::write_file(
      dir.path() / "finance.csv",
      "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n"
      "A-1,KTL,purchase-invoice,2026-10-01T08:00:00+03:00,2026-10-02T08:00:00+03:00,1,,delivered\n"
      "A-2,NOPE,purchase-invoice,2026-10-01T08:00:00+03:00,2026-10-02T08:00:00+03:00,1,,delivered\n");
  const std::string rejects = (dir.path() / "no-such-folder" / "finance.rejects.csv").string();
  const auto result = run_costcover(
      db.connection_string(), "ingest --source finance --as-of 2026-11-15 --rejects '" + rejects + "' '" + csv + "'");
  EXPECT_EQ(result.status, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("cannot write " + rejects + ".tmp"), std::string::npos) << result.err;
  auto& session = db.session();
  EXPECT_EQ(count(session, "SELECT count(*) FROM ingest_load"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM delivered_transaction"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM job_run WHERE job = 'ingest' AND outcome = 'failed'"), 1);
  // With a folder it can write, the same load succeeds, and its file is in place.
  const auto again = run_costcover(db.connection_string(), "ingest --source finance --as-of 2026-11-15 '" + csv + "'");
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_TRUE(fs::exists(csv + ".rejects.csv"));
  EXPECT_FALSE(fs::exists(csv + ".rejects.csv.tmp"));
  EXPECT_EQ(count(session, "SELECT count(*) FROM delivered_transaction"), 1);
}

// Terminates the program's backend each time it waits for a lock the test holds on
// `table`, `times` times (a job retries a lost connection twice); returns the program's
// exit status and stderr.
testing::RunResult cut_off_while_waiting(TestDatabase& db, const std::string& table,
                                         const std::vector<std::string>& args, int times) {
  auto blocker = db::connect(db.connection_string());
  *blocker << "BEGIN";
  *blocker << "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE";
  Child child(db.connection_string(), args);
  auto& session = db.session();
  // Each attempt waits on a backend of its own: cut off a new one each time (a terminated
  // backend may still be listed for a moment).
  std::vector<long long> cut_off;
  for (int cut = 0; cut < times; ++cut) {
    long long pid = 0;
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (pid == 0 && std::chrono::steady_clock::now() < until) {
      soci::rowset<long long> waiting = (session.prepare << "SELECT pid FROM pg_stat_activity WHERE datname = "
                                                            "current_database() AND wait_event_type = 'Lock' "
                                                            "AND application_name = 'costcover'");
      for (const long long candidate : waiting) {
        if (std::find(cut_off.begin(), cut_off.end(), candidate) == cut_off.end()) pid = candidate;
      }
      if (pid == 0) std::this_thread::sleep_for(20ms);
    }
    EXPECT_NE(pid, 0) << "the program never waited for " << table << " (cut " << cut + 1 << ")";
    if (pid == 0) break;
    cut_off.push_back(pid);
    session << "SELECT pg_terminate_backend(" + std::to_string(pid) + ")";
  }
  *blocker << "ROLLBACK";
  testing::RunResult result;
  result.status = child.finish();
  result.err = child.err();
  return result;
}

// Issue 11, item 9: when the connection goes away mid-job, the job runs again on a new
// connection (twice at most); when it cannot, the message says what the job was doing,
// that the connection was lost and that a re-run is safe, and nothing more (no statement
// text, no YAML file).
TEST(Jobs, ALostConnectionSaysWhatTheJobWasDoing) {
  TestDatabase db;
  load_contracts(db);
  const auto bill = cut_off_while_waiting(db, "ingest_dirty_day", {"bill", "--period", "2026-04"}, 3);
  EXPECT_EQ(bill.status, 1);
  EXPECT_NE(bill.err.find("running the job again (attempt 2 of 3)"), std::string::npos) << bill.err;
  EXPECT_NE(bill.err.find("running the job again (attempt 3 of 3)"), std::string::npos) << bill.err;
  const std::string last = bill.err.substr(bill.err.rfind('\n', bill.err.size() - 2) + 1);
  EXPECT_EQ(last.rfind("costcover: error: bill: the connection to the database was lost while checking that the month "
                       "is ready (",
                       0),
            0U)
      << bill.err;
  EXPECT_NE(last.find("nothing of this run was committed, and running the same command again is safe"),
            std::string::npos)
      << bill.err;

  const auto load = cut_off_while_waiting(db, "contract_file", {"contracts", "load", contracts_dir()}, 3);
  EXPECT_EQ(load.status, 1);
  EXPECT_NE(load.err.find("contracts load: the connection to the database was lost while storing the contracts"),
            std::string::npos)
      << load.err;
  EXPECT_EQ(load.err.find("agreement:"), std::string::npos) << "the YAML text is printed:\n" << load.err;
  EXPECT_LT(load.err.size(), 1500U) << load.err;
  // And a re-run is indeed safe.
  run_ok(db, "bill --period 2026-04");
}

// One lost connection is not a failure: the job runs again and completes.
TEST(Jobs, ABillWhoseConnectionIsLostOnceCompletes) {
  TestDatabase db;
  load_contracts(db);
  const auto bill = cut_off_while_waiting(db, "ingest_dirty_day", {"bill", "--period", "2026-04"}, 1);
  EXPECT_EQ(bill.status, 0) << bill.err;
  EXPECT_NE(bill.err.find("running the job again (attempt 2 of 3)"), std::string::npos) << bill.err;
  EXPECT_GT(count(db.session(), "SELECT count(*) FROM invoice WHERE period = '2026-04'"), 0);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM job_run WHERE job = 'bill' AND outcome = 'interrupted'"), 1);
}

// Issue 11, item 3: after every load the planner's statistics of the month's partition
// hold its real row count. Three loads as on ordinary nights: one source's first load
// makes the month (fast path), then another source's rows come in two nights, the second
// cancelling rows of the first. On stale statistics the second night's cancellations
// took a quarter of an hour at 1.9 M rows.
TEST(Jobs, EveryLoadLeavesTheStatisticsTrue) {
  TestDatabase db;
  auto& session = db.session();
  session << "INSERT INTO agency (id, name, business_id, branch) VALUES ('KTL', 'K', '1234567-1', 'VM')";
  session << "INSERT INTO service (id, position, name, unit, area, vat_category) VALUES "
             "('purchase-invoice', 1, 'Purchase invoice', 'invoice', 'finance', 'O'), "
             "('payslip', 2, 'Payslip', 'payslip', 'hr', 'O')";
  TempDir dir("ccstats");
  demo::GenerateOptions options;
  options.year = 2027;
  options.month = 3;
  options.seed = 5;
  options.cutoff_micros = ingest::parse_timestamp("2027-04-01T00:00:00+03:00", nullptr)->micros;
  options.out_dir = dir.path().string();
  const std::int32_t first = ingest::days_from_civil(2027, 3, 1);
  const std::int32_t last = ingest::days_from_civil(2027, 3, 31);
  const auto files = demo::generate_month(
      {{"KTL", "purchase-invoice", "finance", 60'000, first, last}, {"KTL", "payslip", "hr", 3'000, first, last}},
      options);
  // finance.csv in two nights: the first 30 000 rows, then the rest.
  std::ifstream in(files.at(0).path);
  std::string header;
  std::getline(in, header);
  std::ofstream night1(dir.path() / "night1.csv");
  std::ofstream night2(dir.path() / "night2.csv");
  night1 << header << '\n';
  night2 << header << '\n';
  std::string line;
  for (int n = 0; std::getline(in, line); ++n) (n < 30'000 ? night1 : night2) << line << '\n';
  night1.close();
  night2.close();
  const auto as_of = ingest::parse_timestamp("2027-04-02T00:00:00+03:00", nullptr)->micros;
  const std::string partition = "delivered_transaction_2027_03";
  auto check = [&](const std::string& file, const std::string& source) {
    jobs::IngestOptions load;
    load.source = source;
    load.file = file;
    load.as_of_micros = as_of;
    (void)jobs::ingest_file(session, load);
    EXPECT_EQ(count(session, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + partition + "'::regclass"),
              count(session, "SELECT count(*) FROM " + partition))
        << "after loading " << file;
  };
  check(files.at(1).path, "hr");
  check((dir.path() / "night1.csv").string(), "finance");
  check((dir.path() / "night2.csv").string(), "finance");
  EXPECT_GT(count(session, "SELECT count(*) FROM " + partition + " WHERE cancelled_load_id IS NOT NULL"), 0);
}

}  // namespace
}  // namespace costcover
