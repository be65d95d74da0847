// Billing readiness against a real PostgreSQL: billing_readiness(period, agency) of
// sql/061_billing_readiness.sql (replaced by sql/070_rejects_and_calendar.sql), through store::billing_readiness, one
// case per outcome of its decision table (which dirty days count; which rejects are of the month, of the agency, sent
// again, and decided). Each case starts from empty ingest tables, inserts its rows and asks for several (period,
// agency) pairs.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "db/query.hpp"
#include "store/invoices.hpp"
#include "test_database.hpp"

namespace {

using costcover::Month;
namespace db = costcover::db;

struct Ask {
  const char* period;
  std::optional<std::string> agency;
  std::int64_t uncounted_days;
  std::int64_t unresolved_rejects;
};

struct Case {
  const char* name;
  std::vector<std::string> rows;  // SQL run before asking
  std::vector<Ask> asks;
};

// Loads 1 and 2 of source finance, as of 20 March 2027 (UTC noon) and 25 March.
const std::string kLoads =
    "INSERT INTO ingest_load (id, source, file_name, file_bytes, as_of) VALUES "
    "(1, 'finance', 'a.csv', 1, '2027-03-20 12:00:00+00'), (2, 'finance', 'b.csv', 1, '2027-03-25 12:00:00+00'), "
    "(3, 'hr', 'c.csv', 1, '2027-03-25 12:00:00+00')";

std::string reject(int load, const char* source, const char* txn_id, const char* agency, const char* delivered_day) {
  const auto value = [](const char* text) { return text ? "'" + std::string(text) + "'" : std::string("NULL"); };
  static int line = 0;
  return "INSERT INTO ingest_reject (load_id, source, line, reason_code, reason, raw, txn_id, agency, delivered_day) "
         "VALUES (" +
         std::to_string(load) + ", '" + source + "', " + std::to_string(++line) + ", 'bad_quantity', 'x', 'raw', " +
         value(txn_id) + ", " + value(agency) + ", " + value(delivered_day) + ")";
}

std::string accepted(int load, const char* source, const char* txn_id, bool cancelled = false) {
  return "INSERT INTO delivered_transaction (source, txn_id, agency, service, received_at, delivered_at, received_day, "
         "delivered_day, quantity, load_id, line, cancelled_load_id, cancelled_line) VALUES ('" +
         std::string(source) + "', '" + txn_id +
         "', 'KTL', 'payslip', '2027-03-05 08:00+02', '2027-03-05 09:00+02', '2027-03-05', '2027-03-05', 1, " +
         std::to_string(load) + ", 1, " + (cancelled ? "3, 7" : "NULL, NULL") + ")";
}

// A decision recorded on the reject of `txn_id` (sql/070's reject_resolution).
std::string decided(const char* txn_id, const char* resolution) {
  const std::string redelivered = std::string(resolution) == "redelivered" ? "2" : "NULL";
  return "INSERT INTO reject_resolution (load_id, line, resolution, note, redelivered_load_id, os_user, job_run_id) "
         "SELECT load_id, line, '" +
         std::string(resolution) + "', 'checked', " + redelivered +
         ", 'tester', (SELECT max(id) FROM job_run) FROM ingest_reject WHERE txn_id = '" + txn_id + "'";
}

std::string dirty(const char* agency, const char* day) {
  return "INSERT INTO ingest_dirty_day (agency, service, day, load_id) VALUES ('" + std::string(agency) +
         "', 'payslip', '" + day + "', 1)";
}

TEST(BillingReadiness, EveryOutcomeOfTheDecisionTable) {
  costcover::testing::TestDatabase database;
  auto& session = database.session();
  db::exec(session,
           "INSERT INTO agency (id, name, business_id, branch) VALUES ('KTL', 'K', '1234567-1', 'VM'), "
           "('LVT', 'L', '7654321-2', 'VM')");
  db::exec(session, "SELECT ingest_ensure_partition('2027-03-05')");
  const std::vector<Case> cases = {
      {"nothing loaded: ready", {}, {{"2027-03", std::nullopt, 0, 0}, {"2027-03", "KTL", 0, 0}}},
      // --- uncounted days ------------------------------------------------------------
      {"a key of the month not counted yet, of its agency only",
       {dirty("KTL", "2027-03-15")},
       {{"2027-03", std::nullopt, 1, 0}, {"2027-03", "KTL", 1, 0}, {"2027-03", "LVT", 0, 0}}},
      {"the month's last day counts, the next month's first does not",
       {dirty("KTL", "2027-03-31"), dirty("LVT", "2027-04-01")},
       {{"2027-03", std::nullopt, 1, 0}, {"2027-04", std::nullopt, 2, 0}}},
      {"an earlier month's key holds later months back too",
       {dirty("KTL", "2027-01-31")},
       {{"2027-01", std::nullopt, 1, 0}, {"2027-03", std::nullopt, 1, 0}, {"2026-12", std::nullopt, 0, 0}}},
      // --- of the month? -------------------------------------------------------------
      {"a reject counts for the month of its delivered day",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-02-28")},
       {{"2027-02", std::nullopt, 0, 1}, {"2027-03", std::nullopt, 0, 0}, {"2027-01", std::nullopt, 0, 0}}},
      {"without a delivered day: the month of its load's as-of time and the month before",
       {kLoads, reject(1, "finance", "T1", "KTL", nullptr)},
       {{"2027-03", std::nullopt, 0, 1},
        {"2027-02", std::nullopt, 0, 1},
        {"2027-01", std::nullopt, 0, 0},
        {"2027-04", std::nullopt, 0, 0}}},
      {"the as-of time's month is Helsinki's: 22:30 UTC on 28 February is 1 March",
       {"INSERT INTO ingest_load (id, source, file_name, file_bytes, as_of) VALUES "
        "(1, 'finance', 'a.csv', 1, '2027-02-28 22:30:00+00')",
        reject(1, "finance", "T1", "KTL", nullptr)},
       {{"2027-03", std::nullopt, 0, 1}, {"2027-02", std::nullopt, 0, 1}, {"2027-01", std::nullopt, 0, 0}}},
      // --- of the agency? ------------------------------------------------------------
      {"a reject of a known agency counts for that agency only",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-03-05")},
       {{"2027-03", "KTL", 0, 1}, {"2027-03", "LVT", 0, 0}, {"2027-03", std::nullopt, 0, 1}}},
      {"an unreadable agency counts for every agency",
       {kLoads, reject(1, "finance", "T1", nullptr, "2027-03-05")},
       {{"2027-03", "KTL", 0, 1}, {"2027-03", "LVT", 0, 1}}},
      {"an agency no agency has counts for every agency",
       {kLoads, reject(1, "finance", "T1", "XYZ", "2027-03-05")},
       {{"2027-03", "KTL", 0, 1}, {"2027-03", "LVT", 0, 1}}},
      // --- resolved? -----------------------------------------------------------------
      {"resolved: a later load accepted the same source and txn_id",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-03-05"), accepted(2, "finance", "T1")},
       {{"2027-03", std::nullopt, 0, 0}, {"2027-03", "KTL", 0, 0}}},
      {"resolved even if that transaction was cancelled since",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-03-05"), accepted(2, "finance", "T1", true)},
       {{"2027-03", std::nullopt, 0, 0}}},
      {"not resolved by an earlier load's acceptance",
       {kLoads, accepted(1, "finance", "T1"), reject(2, "finance", "T1", "KTL", "2027-03-05")},
       {{"2027-03", std::nullopt, 0, 1}}},
      {"not resolved by the same load's acceptance",
       {kLoads, accepted(1, "finance", "T1"), reject(1, "finance", "T1", "KTL", "2027-03-05")},
       {{"2027-03", std::nullopt, 0, 1}}},
      {"not resolved by the same txn_id from another source",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-03-05"), accepted(3, "hr", "T1")},
       {{"2027-03", std::nullopt, 0, 1}}},
      {"an unreadable txn_id is never resolved",
       {kLoads, reject(1, "finance", nullptr, "KTL", "2027-03-05"), accepted(2, "finance", "T1")},
       {{"2027-03", std::nullopt, 0, 1}}},
      // --- a recorded decision (sql/070) ---------------------------------------------
      {"resolved: waived by a recorded decision",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-03-05"), reject(1, "finance", "T2", "KTL", "2027-03-05"),
        decided("T1", "waived")},
       {{"2027-03", std::nullopt, 0, 1}, {"2027-03", "KTL", 0, 1}}},
      {"resolved: redelivered by a recorded decision (a cancellation sent again, which adds no row)",
       {kLoads, reject(1, "finance", "T1", "KTL", "2027-03-05"), decided("T1", "redelivered")},
       {{"2027-03", std::nullopt, 0, 0}}},
      {"a decision does not resolve uncounted input",
       {kLoads, dirty("KTL", "2027-03-02"), reject(1, "finance", "T1", "KTL", "2027-03-05"), decided("T1", "waived")},
       {{"2027-03", std::nullopt, 1, 0}}},
      {"both counts together",
       {kLoads, dirty("KTL", "2027-03-02"), dirty("LVT", "2027-03-02"), reject(1, "finance", "T1", "KTL", "2027-03-05"),
        reject(1, "finance", "T2", "LVT", "2027-03-06")},
       {{"2027-03", std::nullopt, 2, 2}, {"2027-03", "KTL", 1, 1}}},
  };
  db::exec(session, "INSERT INTO job_run (job) VALUES ('rejects resolve')");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    db::exec(session,
             "TRUNCATE reject_resolution, ingest_reject, delivered_transaction, ingest_dirty_day, ingest_load");
    for (const auto& sql : c.rows) db::exec(session, sql);
    for (const auto& ask : c.asks) {
      const auto readiness = costcover::store::billing_readiness(session, Month::parse(ask.period), ask.agency);
      EXPECT_EQ(readiness.uncounted_days, ask.uncounted_days) << ask.period << " " << ask.agency.value_or("all");
      EXPECT_EQ(readiness.unresolved_rejects, ask.unresolved_rejects)
          << ask.period << " " << ask.agency.value_or("all");
      EXPECT_EQ(readiness.ready(), ask.uncounted_days == 0 && ask.unresolved_rejects == 0);
    }
  }
}

// The stale probe is gone: no migration creates ingest_reject.resolved_at, and the
// function does not depend on one (it is created and runs without it).
TEST(BillingReadiness, NeedsNoResolvedAtColumn) {
  costcover::testing::TestDatabase database;
  auto& session = database.session();
  EXPECT_TRUE(db::query(session,
                        "SELECT 1 FROM information_schema.columns WHERE table_name = 'ingest_reject' "
                        "AND column_name = 'resolved_at'")
                  .empty());
  EXPECT_EQ(db::scalar(session, "SELECT unresolved_rejects FROM billing_readiness('2027-03')"), "0");
}

}  // namespace
