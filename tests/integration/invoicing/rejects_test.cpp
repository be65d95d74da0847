// The reject workflow and the billing calendar against a real PostgreSQL, through the
// program (issue 14, items 3 and 5): a month with rejects bills only once each is
// resolved (one redelivered with a later load, one waived), decisions are kept with who
// and when and never changed, `rejects list` filters and writes CSV, --force never skips
// the uncounted-input check; a month that has not ended needs --early; due dates move
// past weekends and holidays; a credit note has no due date; an issue date must be a
// business day. Today is the database's (Helsinki) day, so the tests hold on any date.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <soci/soci.h>

#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;
using costcover::testing::write_file;

namespace {

constexpr const char* kMonth = "2026-10";

std::string text(soci::session& session, const std::string& sql) {
  std::string value;
  soci::indicator indicator = soci::i_ok;
  session << sql, soci::into(value, indicator);
  return indicator == soci::i_ok ? value : std::string();
}

struct Month {
  costcover::testing::TestDatabase db;
  TempDir dir{"ccrej"};
  std::string kinds;  // "AGENCY,SERVICE" of a real agency and service

  costcover::testing::RunResult run(const std::string& args) { return run_costcover(db.connection_string(), args); }
  void ok(const std::string& args) {
    const auto result = run(args);
    ASSERT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
  }
  // The sample contracts and a generated October 2026, loaded and counted.
  void load() {
    ok("contracts load '" + costcover::testing::source_dir() + "/contracts'");
    ok(std::string("generate --month ") + kMonth + " --scale 0.2 --out '" + dir.path().string() + "'");
    for (const char* source : {"finance", "hr", "other"}) {
      ok(std::string("ingest --source ") + source + " --as-of 2026-11-15 --rejects '" + dir.path().string() + "/" +
         source + ".rejects.csv' '" + dir.path().string() + "/" + source + ".csv'");
    }
    ok("nightly");
    const std::string agency = text(db.session(), "SELECT min(agency) FROM daily_volume");
    kinds = agency + "," + text(db.session(), "SELECT min(service) FROM daily_volume WHERE agency = '" + agency + "'");
  }
  // Loads `rows` as a finance file named `name`; returns the load's id.
  std::string ingest(const std::string& name, const std::string& rows) {
    const auto path =
        write_file(dir.path() / name, "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n" + rows);
    ok("ingest --source finance --as-of 2026-11-15 '" + path + "'");
    return text(db.session(), "SELECT max(id)::text FROM ingest_load");
  }
  std::string row(const std::string& txn_id, int quantity) {
    return txn_id + "," + kinds + ",2026-10-05T09:00:00+03:00,2026-10-06T10:00:00+03:00," + std::to_string(quantity) +
           ",,\n";
  }
  std::string scalar(const std::string& sql) { return text(db.session(), sql); }
};

TEST(RejectWorkflow, AMonthBillsOnlyOnceEachRejectIsResolved) {
  Month m;
  m.load();
  const std::string bad = m.ingest("bad.csv", m.row("R-1", 0) + m.row("W-1", 0));
  ASSERT_EQ(
      m.scalar("SELECT string_agg(line || ':' || txn_id, ' ' ORDER BY line) FROM ingest_reject WHERE load_id = " + bad),
      "2:R-1 3:W-1");

  auto bill = m.run(std::string("bill --period ") + kMonth);
  EXPECT_EQ(bill.status, 1);
  EXPECT_NE(bill.err.find("costcover rejects list --period 2026-10"), std::string::npos) << bill.err;
  EXPECT_EQ(m.scalar("SELECT count(*)::text FROM invoice"), "0");

  // Redelivered is refused while no later load holds the key, naming load, line and txn_id.
  auto refused = m.run("rejects resolve --load " + bad + " --line 2 --as redelivered --note 'sent again'");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("load " + bad + " line 2: not redelivered"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("\"R-1\""), std::string::npos) << refused.err;

  // The corrected R-1 comes in a later load: listed as sent again (resolved without a decision).
  const std::string good = m.ingest("good.csv", m.row("R-1", 1));
  m.ok("nightly");
  auto list = m.run("rejects list --period 2026-10 --status all");
  ASSERT_EQ(list.status, 0) << list.err;
  EXPECT_NE(list.out.find("sent-again (load " + good + ")"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("2 reject(s), 1 open"), std::string::npos) << list.out;

  // All or nothing: line 3 cannot be redelivered, so line 2 is not recorded either.
  refused = m.run("rejects resolve --load " + bad + " --line 2 --line 3 --as redelivered");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("load " + bad + " line 3: not redelivered"), std::string::npos) << refused.err;
  EXPECT_EQ(m.scalar("SELECT count(*)::text FROM reject_resolution"), "0");
  EXPECT_EQ(m.run(std::string("bill --period ") + kMonth).status, 1);  // W-1 is still open

  // Waived needs a note; a line the load did not reject is refused.
  EXPECT_EQ(m.run("rejects resolve --load " + bad + " --line 3 --as waived").status, 2);
  refused = m.run("rejects resolve --load " + bad + " --line 9 --as waived --note x");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("load " + bad + " line 9: the load rejected no row"), std::string::npos) << refused.err;

  m.ok("rejects resolve --load " + bad + " --line 2 --as redelivered");
  m.ok("rejects resolve --load " + bad + " --line 3 --as waived --note 'test row, never billable'");

  // A second decision on the same row is refused; the first stays as recorded.
  refused = m.run("rejects resolve --load " + bad + " --line 3 --as waived --note 'again'");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("already resolved as waived"), std::string::npos) << refused.err;
  EXPECT_THROW(m.db.session() << "UPDATE reject_resolution SET note = 'changed'", soci::soci_error);
  EXPECT_THROW(m.db.session() << "DELETE FROM reject_resolution", soci::soci_error);

  // Who and when: the operating-system user, the database role, the time and the job run.
  EXPECT_EQ(
      m.scalar("SELECT string_agg(concat_ws('|', line, resolution, coalesce(redelivered_load_id::text, '-'), "
               "note, os_user <> '', db_user = current_user, resolved_at IS NOT NULL, j.job), ' ' ORDER BY line) "
               "FROM reject_resolution x JOIN job_run j ON j.id = x.job_run_id"),
      "2|redelivered|" + good + "||t|t|t|rejects resolve 3|waived|-|test row, never billable|t|t|t|rejects resolve");

  list = m.run("rejects list --period 2026-10");
  EXPECT_EQ(list.out, "no rejects\n");
  bill = m.run(std::string("bill --period ") + kMonth);
  EXPECT_EQ(bill.status, 0) << bill.out << bill.err;
  EXPECT_NE(m.scalar("SELECT count(*)::text FROM invoice"), "0");
}

TEST(RejectWorkflow, ListFiltersAndWritesCsv) {
  Month m;  // only the contracts and this test's own load: every reject is the test's
  m.ok("contracts load '" + costcover::testing::source_dir() + "/contracts'");
  m.kinds = m.scalar("SELECT min(id) FROM agency") + "," + m.scalar("SELECT min(id) FROM service");
  const std::string bad = m.ingest(
      "bad.csv", m.row("Q-1", 0) + "=X-2," + m.kinds + ",2026-10-05T09:00:00+03:00,2026-10-04T10:00:00+03:00,1,,\n");
  m.ok("rejects resolve --load " + bad + " --line 2 --as waived --note 'a test, \"quoted\"'");

  auto csv = m.run("rejects list --status all --format csv --source finance");
  ASSERT_EQ(csv.status, 0) << csv.err;
  const std::string agency = m.kinds.substr(0, m.kinds.find(','));
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "load_id,source,line,reason_code,reason,txn_id,agency,delivered_day,status,by_load,note,resolved_by,"
            "resolved_at");
  EXPECT_NE(csv.out.find(bad + ",finance,2,bad_quantity,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",Q-1," + agency + ",2026-10-06,waived,,\"a test, \"\"quoted\"\"\","), std::string::npos)
      << csv.out;
  // csv_text_field: a txn_id that starts with '=' is not a formula.
  EXPECT_NE(csv.out.find(bad + ",finance,3,delivered_before_received,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",'=X-2," + agency + ",2026-10-04,open,,,,\n"), std::string::npos) << csv.out;

  const auto lines = [](const std::string& out) { return std::count(out.begin(), out.end(), '\n'); };
  EXPECT_EQ(lines(m.run("rejects list --format csv").out), 2);  // open only: the header and line 3
  EXPECT_EQ(lines(m.run("rejects list --status resolved --format csv").out), 2);
  EXPECT_EQ(lines(m.run("rejects list --status all --reason bad_quantity --format csv").out), 2);
  EXPECT_EQ(lines(m.run("rejects list --status all --source hr --reason bad_quantity --format csv").out), 1);
  EXPECT_EQ(lines(m.run("rejects list --status all --period 2026-09 --format csv").out), 1);
  EXPECT_EQ(lines(m.run("rejects list --status all --period 2026-10 --format csv").out), 3);

  const auto table = m.run("rejects list --status all");
  EXPECT_NE(table.out.find("load  source   line  reason"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("      decided by "), std::string::npos) << table.out;
  EXPECT_EQ(m.run("rejects list --reason no_such_reason").status, 2);
  EXPECT_EQ(m.run("rejects list --status closed").status, 2);
}

TEST(BillingCalendar, ForceDoesNotSkipUncountedInput) {
  Month m;
  m.load();
  (void)m.ingest("late.csv", m.row("L-1", 3));  // accepted, not counted yet
  const auto bill = m.run(std::string("bill --period ") + kMonth + " --force");
  EXPECT_EQ(bill.status, 1);
  EXPECT_NE(bill.err.find("run `costcover nightly` first (--force does not override this)"), std::string::npos)
      << bill.err;
  EXPECT_EQ(m.scalar("SELECT count(*)::text FROM invoice"), "0");
  m.ok("nightly");
  m.ok(std::string("bill --period ") + kMonth);
}

TEST(BillingCalendar, AMonthThatHasNotEndedNeedsEarly) {
  Month m;
  m.ok("contracts load '" + costcover::testing::source_dir() + "/contracts'");
  const std::string now = m.scalar("SELECT to_char(now() AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM')");
  auto bill = m.run("bill --period " + now);
  EXPECT_EQ(bill.status, 1);
  EXPECT_NE(bill.err.find(now + " has not ended"), std::string::npos) << bill.err;
  EXPECT_NE(bill.err.find("--early"), std::string::npos) << bill.err;
  EXPECT_EQ(m.scalar("SELECT count(*)::text FROM job_run WHERE job = 'bill'"), "0");

  bill = m.run("bill --dry-run --period " + now);
  EXPECT_EQ(bill.status, 0) << bill.err;
  EXPECT_NE(bill.out.find("(dry run, nothing written)"), std::string::npos) << bill.out;
  EXPECT_NE(bill.err.find(now + " has not ended"), std::string::npos) << bill.err;
  EXPECT_NE(bill.err.find("writing its drafts needs --early"), std::string::npos) << bill.err;

  bill = m.run("bill --early --period " + now);
  EXPECT_EQ(bill.status, 0) << bill.out << bill.err;
  EXPECT_EQ(m.scalar("SELECT parameters->>'early' FROM job_run WHERE job = 'bill'"), "true");
  // The month before has ended: no --early needed, nothing said.
  const std::string before =
      m.scalar("SELECT to_char((now() AT TIME ZONE 'Europe/Helsinki') - interval '1 month', 'YYYY-MM')");
  bill = m.run("bill --dry-run --period " + before);
  EXPECT_EQ(bill.err.find("has not ended"), std::string::npos) << bill.err;
}

TEST(BillingCalendar, DueDatesMovePastWeekendsAndHolidaysAndCreditNotesHaveNone) {
  Month m;
  m.load();
  m.ok(std::string("bill --period ") + kMonth);
  // Every draft on 30 days' terms, so that the due dates fall where the test wants.
  m.db.session() << "UPDATE invoice SET payment_terms_days = 30 WHERE status = 'draft'";
  const std::string first = m.scalar("SELECT min(agency) FROM invoice");
  const std::string second = m.scalar("SELECT min(agency) FROM invoice WHERE agency > '" + first + "'");
  ASSERT_FALSE(second.empty());

  // Issued Thursday 29 October 2026: + 30 days is Saturday 28 November, due Monday 30 November.
  m.ok(std::string("finalize --period ") + kMonth + " --agency " + first + " --issue-date 2026-10-29");
  EXPECT_EQ(
      m.scalar("SELECT string_agg(DISTINCT to_char(due_date, 'YYYY-MM-DD Dy'), ' ') FROM invoice WHERE agency = '" +
               first + "'"),
      "2026-11-30 Mon");
  // Issued Tuesday 24 November: + 30 days is Christmas Eve; Christmas Day, Boxing Day (a
  // Saturday) and the Sunday follow: due Monday 28 December.
  const auto finalize =
      m.run(std::string("finalize --period ") + kMonth + " --agency " + second + " --issue-date 2026-11-24");
  ASSERT_EQ(finalize.status, 0) << finalize.err;
  EXPECT_NE(finalize.out.find("due 2026-12-28"), std::string::npos) << finalize.out;
  EXPECT_EQ(m.scalar("SELECT string_agg(DISTINCT to_char(due_date, 'YYYY-MM-DD'), ' ') FROM invoice WHERE agency = '" +
                     second + "'"),
            "2026-12-28");

  // An issue date on a Sunday or a holiday is a usage error naming the next business day.
  auto refused = m.run(std::string("finalize --period ") + kMonth + " --issue-date 2026-11-08");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("--issue-date 2026-11-08 is a Sunday, not a business day; the next business day is "
                             "2026-11-09"),
            std::string::npos)
      << refused.err;
  const std::string number = m.scalar("SELECT min(number) FROM invoice WHERE agency = '" + first + "'");
  refused = m.run("credit --invoice " + number + " --reason test --issue-date 2026-12-24");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("is Christmas Eve, not a business day; the next business day is 2026-12-28"),
            std::string::npos)
      << refused.err;

  // A credit note has no due date.
  m.ok("credit --invoice " + number + " --reason test --issue-date 2026-12-01");
  EXPECT_EQ(m.scalar("SELECT count(*)::text FROM invoice WHERE kind = 'credit_note' AND status = 'final' AND "
                     "due_date IS NULL AND issue_date = '2026-12-01'"),
            "1");
  // A final invoice still needs one (the CHECK invoice_final_fields of sql/070).
  const std::string draft = m.scalar("SELECT max(id)::text FROM invoice WHERE status = 'draft' AND kind = 'invoice'");
  ASSERT_FALSE(draft.empty());
  try {
    m.db.session() << "UPDATE invoice SET status = 'final', number = '2099-000001', issue_date = '2026-12-01' "
                      "WHERE id = " +
                          draft;
    ADD_FAILURE() << "a final invoice without a due date was accepted";
  } catch (const soci::soci_error& error) {
    EXPECT_NE(std::string(error.what()).find("invoice_final_fields"), std::string::npos) << error.what();
  }

  // The default issue date: today in Helsinki if a business day, else the next one.
  const std::string third = m.scalar("SELECT min(agency) FROM invoice WHERE status = 'draft'");
  ASSERT_FALSE(third.empty());
  m.ok(std::string("finalize --period ") + kMonth + " --agency " + third);
  EXPECT_EQ(m.scalar("SELECT string_agg(DISTINCT issue_date::text, ' ') FROM invoice WHERE agency = '" + third + "'"),
            m.scalar("SELECT min(day)::text FROM business_calendar WHERE is_business_day AND "
                     "day >= (now() AT TIME ZONE 'Europe/Helsinki')::date"));
}

}  // namespace
