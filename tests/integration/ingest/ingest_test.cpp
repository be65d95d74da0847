// Ingestion and the nightly count against a real PostgreSQL: the bad-row corpus (one row
// per rejection reason), re-delivery, cancellations, the nightly count against a count
// this test makes itself from the CSV, idempotence, the advisory lock, and kill -9 of the
// real program at several points of a load and of a nightly run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <tuple>

#include "core/business_days.hpp"
#include "db/job.hpp"
#include "demo/generate.hpp"
#include "ingest/csv_scanner.hpp"
#include "ingest/row.hpp"
#include "ingest/timestamp.hpp"
#include "jobs/ingest.hpp"
#include "jobs/nightly.hpp"
#include "test_database.hpp"

namespace costcover {
namespace {

using testing::read_file;
using testing::TestDatabase;
using testing::write_file;

void add_reference_data(soci::session& s) {
  s << "INSERT INTO agency (id, name, business_id, branch) VALUES "
       "('KTL', 'Kirjanpitovirasto', '1234567-1', 'VM'), ('VM', 'Valtiovarainministeriö', '0245439-9', 'VM')";
  s << "INSERT INTO service (id, position, name, unit, area, vat_category) VALUES "
       "('purchase-invoice', 1, 'Purchase invoice', 'invoice', 'finance', 'O'), "
       "('payslip', 2, 'Payslip', 'payslip', 'hr', 'O')";
}

std::int64_t ts(const char* text) { return ingest::parse_timestamp(text, nullptr)->micros; }

long long count(soci::session& s, const std::string& sql) {
  long long n = 0;
  s << sql, soci::into(n);
  return n;
}

// daily_volume as text rows, for comparisons.
std::map<std::string, std::string> volumes(soci::session& s) {
  std::map<std::string, std::string> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT agency || '|' || service || '|' || day || '|' || tags || '|' || business_days, "
                    "transactions || '|' || quantity || '|' || cancelled_transactions || '|' || cancelled_quantity "
                    "FROM daily_volume");
  for (const auto& r : rows) out[r.get<std::string>(0)] = r.get<std::string>(1);
  return out;
}

// The count the nightly job must produce, made here from the CSV files alone.
std::map<std::string, std::string> own_count(const std::vector<std::string>& files) {
  struct Tx {
    std::string key;
    std::int64_t quantity = 0;
    bool cancelled = false;
  };
  std::map<std::string, Tx> transactions;  // by source|txn_id
  for (const auto& path : files) {
    const std::string source = std::filesystem::path(path).stem().string();
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::string error;
      const auto f = ingest::split_csv_line(line, &error);
      const auto received = ingest::parse_timestamp(f[3], nullptr)->micros;
      const auto delivered = ingest::parse_timestamp(f[4], nullptr)->micros;
      const auto rd = ingest::civil_from_days(ingest::helsinki_day(received));
      const auto dd = ingest::civil_from_days(ingest::helsinki_day(delivered));
      const Date r(static_cast<unsigned short>(rd.year), static_cast<unsigned short>(rd.month),
                   static_cast<unsigned short>(rd.day));
      const Date d(static_cast<unsigned short>(dd.year), static_cast<unsigned short>(dd.month),
                   static_cast<unsigned short>(dd.day));
      const std::string id = source + "|" + f[0];
      if (f[7] == "cancelled") {
        transactions.at(id).cancelled = true;
        continue;
      }
      transactions[id] = Tx{f[1] + "|" + f[2] + "|" + format_date(d) + "|" + ingest::normalize_tags(f[6]) + "|" +
                                std::to_string(business_days_between(r, d)),
                            f[5].empty() ? 1 : std::stoll(f[5]), false};
    }
  }
  std::map<std::string, std::array<std::int64_t, 4>> sums;
  for (const auto& [id, tx] : transactions) {
    auto& s = sums[tx.key];
    if (tx.cancelled) {
      s[2] += 1;
      s[3] += tx.quantity;
    } else {
      s[0] += 1;
      s[1] += tx.quantity;
    }
  }
  std::map<std::string, std::string> out;
  for (const auto& [key, s] : sums) {
    out[key] =
        std::to_string(s[0]) + "|" + std::to_string(s[1]) + "|" + std::to_string(s[2]) + "|" + std::to_string(s[3]);
  }
  return out;
}

jobs::IngestOptions load(const std::string& source, const std::string& file, const char* as_of) {
  jobs::IngestOptions o;
  o.source = source;
  o.file = file;
  o.as_of_micros = ts(as_of);
  return o;
}

TEST(Ingest, BadRowCorpusRejectsEachRowWithItsReason) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string t = "2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00";
  const std::string file = write_file(
      dir.path().string() + "/corpus.csv",
      "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n"  // 1
      "A-1,KTL,purchase-invoice," +
          t +
          ",1,,delivered\n"  // 2 accepted
          "A-2,KTL,purchase-invoice," +
          t +
          ",1,rework-provider;late-from-client,\n"  // 3 accepted
          "A-3,KT\"L,purchase-invoice," +
          t +
          ",1,,\n"  // 4 malformed_csv
          "A-4,KTL,purchase-invoice," +
          t +
          ",1,\n"  // 5 column_count
          "A-5,KTL,purchase-invoice," +
          t +
          ",1,bad\xff,\n"  // 6 invalid_utf8
          ",KTL,purchase-invoice," +
          t +
          ",1,,\n"  // 7 missing_txn_id
          "A-7,XYZ,purchase-invoice," +
          t +
          ",1,,\n"  // 8 unknown_agency
          "A-8,KTL,haircut," +
          t +
          ",1,,\n"                                                                               // 9 unknown_service
          "A-9,KTL,purchase-invoice,3.1.2027 8:15,2027-01-05T14:02:11+02:00,1,,\n"               // 10 bad_timestamp
          "A-10,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-02-30T10:00:00+02:00,1,,\n"  // 11 bad_timestamp
          "A-11,KTL,purchase-invoice,2027-01-06T08:15:00+02:00,2027-01-05T14:02:11+02:00,1,,\n"  // 12 before received
          "A-12,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-03-01T10:00:00+02:00,1,,\n"  // 13 in the future
          "A-13,KTL,purchase-invoice," +
          t +
          ",0,,\n"  // 14 bad_quantity
          "A-14,KTL,purchase-invoice," +
          t +
          ",1,,done\n"  // 15 bad_status
          "A-1,KTL,purchase-invoice," +
          t +
          ",1,,delivered\n"  // 16 duplicate
          "A-2,KTL,purchase-invoice," +
          t +
          ",2,late-from-client;rework-provider,\n"  // 17 conflict (quantity)
          "A-1,KTL,purchase-invoice," +
          t +
          ",1,,cancelled\n"  // 18 cancels A-1
          "A-1,KTL,purchase-invoice," +
          t +
          ",1,,cancelled\n"  // 19 duplicate cancellation
          "Z-9,KTL,purchase-invoice," +
          t +
          ",1,,cancelled\n"  // 20 unknown_cancellation
          "A-6,\"KTL\",purchase-invoice," +
          t +
          ",1,,\n"                                                                     // 21 accepted (quoted)
          "A-15,VM,payslip,2027-01-29T16:00:00+02:00,2027-02-01T09:00:00+02:00,3,,\n"  // 22 accepted
          "B-1,KTL,purchase-invoice," +
          t +
          ",2,,cancelled\n"  // 23 unknown_cancellation
          "B-1,KTL,purchase-invoice," +
          t +
          ",1,,\n"  // 24 accepted
          "B-1,KTL,purchase-invoice," +
          t + ",1,,\n");  // 25 duplicate (of 24)
  const auto report = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(report.rows_read, 24);
  EXPECT_EQ(report.inserted, 5);
  EXPECT_EQ(report.cancellations, 1);
  EXPECT_EQ(report.accepted, 6);
  EXPECT_EQ(report.duplicates, 3);
  EXPECT_EQ(report.rejected, 15);
  EXPECT_EQ(report.rows_read, report.accepted + report.duplicates + report.rejected);

  std::map<long long, std::string> reasons;
  {
    soci::rowset<soci::row> rows =
        (db.session().prepare << "SELECT line, reason_code, reason, raw, source FROM ingest_reject ORDER BY line");
    for (const auto& r : rows) {
      reasons[r.get<long long>(0)] = r.get<std::string>(1);
      EXPECT_EQ(r.get<std::string>(4), "erp");
      EXPECT_FALSE(r.get<std::string>(3).empty());
    }
  }
  const std::map<long long, std::string> expected = {{4, "malformed_csv"},
                                                     {5, "column_count"},
                                                     {6, "invalid_utf8"},
                                                     {7, "missing_txn_id"},
                                                     {8, "unknown_agency"},
                                                     {9, "unknown_service"},
                                                     {10, "bad_timestamp"},
                                                     {11, "bad_timestamp"},
                                                     {12, "delivered_before_received"},
                                                     {13, "delivered_in_future"},
                                                     {14, "bad_quantity"},
                                                     {15, "bad_status"},
                                                     {17, "conflict"},
                                                     {20, "unknown_cancellation"},
                                                     {23, "unknown_cancellation"}};
  EXPECT_EQ(reasons, expected);
  std::string reason;
  std::string raw;
  db.session() << "SELECT reason, raw FROM ingest_reject WHERE line = 17", soci::into(reason), soci::into(raw);
  EXPECT_EQ(reason,
            "conflicting duplicate: txn_id \"A-2\" was accepted from line 3 of this file with a different quantity");
  EXPECT_EQ(raw, "A-2,KTL,purchase-invoice," + t + ",2,late-from-client;rework-provider,");
  // What could be read of a reject: nothing with the wrong column count; the agency as
  // written even when unknown; for rejects decided in SQL, the row's own fields.
  std::string said;
  db.session() << "SELECT string_agg(concat_ws('|', line, txn_id, agency, delivered_day), ' ' ORDER BY line) FROM "
                  "ingest_reject WHERE line IN (5, 8, 17, 20)",
      soci::into(said);
  EXPECT_EQ(said, "5 8|A-7|XYZ|2027-01-05 17|A-2|KTL|2027-01-05 20|Z-9|KTL|2027-01-05");
  db.session() << "SELECT reason FROM ingest_reject WHERE line = 23", soci::into(reason);
  EXPECT_EQ(reason,
            "cancellation before its transaction: txn_id \"B-1\" is delivered after it, at line 24 of this file");
  db.session() << "SELECT raw FROM ingest_reject WHERE line = 6", soci::into(raw);
  EXPECT_EQ(raw, "A-5,KTL,purchase-invoice," + t + ",1,bad\\xFF,");

  // The reject file next to the input: header, one line per reject in line order.
  const std::string rejects = read_file(file + ".rejects.csv");
  EXPECT_EQ(rejects.substr(0, rejects.find('\n')), "line,reason_code,reason,raw");
  EXPECT_NE(rejects.find("\n4,malformed_csv,quote inside unquoted field 2,\"A-3,KT\"\"L,"), std::string::npos)
      << rejects;
  EXPECT_NE(rejects.find("\n20,unknown_cancellation,"), std::string::npos);
  EXPECT_EQ(std::count(rejects.begin(), rejects.end(), '\n'), 16);

  // Stored rows: A-1 cancelled by line 18, B-1 not cancelled, tags normalised, Helsinki days.
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM delivered_transaction"), 5);
  EXPECT_EQ(count(db.session(),
                  "SELECT count(*) FROM delivered_transaction WHERE txn_id = 'B-1' AND line = 24 AND "
                  "cancelled_line IS NULL"),
            1);
  EXPECT_EQ(count(db.session(), "SELECT cancelled_line FROM delivered_transaction WHERE txn_id = 'A-1'"), 18);
  std::string tags;
  db.session() << "SELECT tags FROM delivered_transaction WHERE txn_id = 'A-2'", soci::into(tags);
  EXPECT_EQ(tags, "late-from-client;rework-provider");
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM ingest_load WHERE rows_read = 24 AND rejected = 15"), 1);

  // Identical re-delivery: nothing new; the bad rows are rejected again (line 23 too: now
  // that B-1 is stored, it must still not cancel it).
  const auto again = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(again.accepted, 0);
  EXPECT_EQ(again.duplicates, 9);
  EXPECT_EQ(again.rejected, 15);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM delivered_transaction"), 5);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM delivered_transaction WHERE cancelled_line IS NULL"), 4);

  // A later file whose keys each occur once in it: every row is judged against the stored
  // transaction alone.
  const std::string later =
      write_file(dir.path().string() + "/later.csv",
                 "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n"
                 "A-15,VM,payslip,2027-01-29T16:00:00+02:00,2027-02-01T09:00:00+02:00,4,,\n"  // 2 conflict (quantity)
                 "A-6,KTL,purchase-invoice," +
                     t +
                     ",1,late-from-client,\n"  // 3 conflict (tags)
                     "A-2,KTL,purchase-invoice," +
                     t +
                     ",1,late-from-client;rework-provider,\n"  // 4 duplicate
                     "A-1,KTL,purchase-invoice," +
                     t + ",1,,cancelled\n");  // 5 duplicate (cancelled)
  const auto third = jobs::ingest_file(db.session(), load("erp", later, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(third.accepted, 0);
  EXPECT_EQ(third.duplicates, 2);
  EXPECT_EQ(third.rejected, 2);
  db.session() << "SELECT reason FROM ingest_reject WHERE load_id = " + std::to_string(third.load_id) + " AND line = 2",
      soci::into(reason);
  EXPECT_EQ(reason, "conflicting duplicate: txn_id \"A-15\" was accepted in load " + std::to_string(report.load_id) +
                        " (line 22) with a different quantity");
  db.session() << "SELECT reason FROM ingest_reject WHERE load_id = " + std::to_string(third.load_id) + " AND line = 3",
      soci::into(reason);
  EXPECT_EQ(reason, "conflicting duplicate: txn_id \"A-6\" was accepted in load " + std::to_string(report.load_id) +
                        " (line 21) with a different tags");

  // The nightly count: A-1 cancelled, A-2, A-6 and B-1 delivered on 5 Jan (2 business days
  // after 3 Jan, a Sunday... 3 Jan 2027 is a Sunday, so Mon 4 and Tue 5: 2), A-15 payslip.
  const auto nightly = jobs::run_nightly(db.session(), {});
  EXPECT_EQ(nightly.transactions, 5);
  const auto v = volumes(db.session());
  EXPECT_EQ(v.at("KTL|purchase-invoice|2027-01-05||2"), "2|2|1|1");
  EXPECT_EQ(v.at("KTL|purchase-invoice|2027-01-05|late-from-client;rework-provider|2"), "1|1|0|0");
  EXPECT_EQ(v.at("VM|payslip|2027-02-01||1"), "1|3|0|0");
}

TEST(Ingest, HeaderAndSourceErrorsFailTheLoad) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string file = write_file(dir.path().string() + "/wrong.csv", "id,agency\nA,KTL\n");
  try {
    (void)jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("wrong.csv:1: header \"id,agency\" is not the transaction header"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW((void)jobs::ingest_file(db.session(), load("bad source!", file, "2027-02-28T00:00:00+02:00")),
               InputError);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM ingest_load"), 0);
}

// The rejects of a load, one "line|reason_code|reason|txn_id|agency|delivered_day" each.
std::vector<std::string> rejects_of(soci::session& s, long long load_id) {
  std::vector<std::string> out;
  soci::rowset<std::string> rows =
      (s.prepare << "SELECT concat_ws('|', line, reason_code, reason, coalesce(txn_id, '-'), coalesce(agency, '-'), "
                    "coalesce(delivered_day::text, '-')) FROM ingest_reject WHERE load_id = " +
                        std::to_string(load_id) + " ORDER BY line");
  for (const auto& r : rows) out.push_back(r);
  return out;
}

// Rejects of the source that no later load resolved (billing readiness's rule, without
// its month filter): a reject resolves when a later load stores its txn_id.
long long unresolved(soci::session& s) {
  return count(s,
               "SELECT count(*) FROM ingest_reject r WHERE NOT EXISTS (SELECT 1 FROM delivered_transaction t "
               "WHERE t.source = r.source AND t.txn_id = r.txn_id AND t.load_id > r.load_id)");
}

const std::string kGoodTimes = "2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00";
std::string good_row(const std::string& id) { return id + ",KTL,purchase-invoice," + kGoodTimes + ",1,,delivered\n"; }

// Issue 11, item 2: one row ending in an unterminated quote among 5 003 good ones used to
// load as "read 4 = accepted 3 + rejected 1", its one reject holding the 5 000 rows after
// it, without a txn_id to resolve it by. Now the line alone is rejected, with what could be
// read of it, and re-sending the row resolves it.
TEST(Ingest, UnterminatedQuoteRejectsOnlyItsLine) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  std::string text = std::string(ingest::kHeader) + "\n";
  for (int i = 1; i <= 3; ++i) text += good_row("G-" + std::to_string(i));
  const std::string broken = "B-1,KTL,purchase-invoice," + kGoodTimes + ",1,\"abc,delivered";
  text += broken + "\n";
  for (int i = 4; i <= 5003; ++i) text += good_row("G-" + std::to_string(i));
  ASSERT_LT(text.size(), ingest::CsvScanner::kMaxRecordBytes);  // where the quote used to run to the end
  const std::string file = write_file(dir.path() / "broken.csv", text);
  const auto report = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(report.rows_read, 5004);
  EXPECT_EQ(report.accepted, 5003);
  EXPECT_EQ(report.rejected, 1);
  EXPECT_EQ(rejects_of(db.session(), report.load_id),
            std::vector<std::string>{"5|malformed_csv|unterminated quoted field 7|B-1|KTL|2027-01-05"});
  std::string raw;
  db.session() << "SELECT raw FROM ingest_reject", soci::into(raw);
  EXPECT_EQ(raw, broken);
  // Every row after it keeps its own line number.
  EXPECT_EQ(count(db.session(),
                  "SELECT count(*) FROM delivered_transaction WHERE line <> "
                  "substr(txn_id, 3)::int + CASE WHEN substr(txn_id, 3)::int > 3 THEN 2 ELSE 1 END"),
            0);
  EXPECT_EQ(count(db.session(), "SELECT line FROM delivered_transaction WHERE txn_id = 'G-5003'"), 5005);
  const std::string rejects = read_file(file + ".rejects.csv");
  EXPECT_EQ(rejects, "line,reason_code,reason,raw\n5,malformed_csv,unterminated quoted field 7,\"" +
                         std::string("B-1,KTL,purchase-invoice,") + kGoodTimes + ",1,\"\"abc,delivered\"\n");

  // The source sends the row again, corrected: the reject is resolved.
  EXPECT_EQ(unresolved(db.session()), 1);
  const std::string fixed =
      write_file(dir.path() / "fixed.csv", std::string(ingest::kHeader) + "\n" + "B-1,KTL,purchase-invoice," +
                                               kGoodTimes + ",1,\"abc\",delivered\n");
  EXPECT_EQ(jobs::ingest_file(db.session(), load("erp", fixed, "2027-02-28T00:00:00+02:00")).accepted, 1);
  EXPECT_EQ(unresolved(db.session()), 0);
}

// Issue 11, item 6: a 10 MB field used to make one physical line three rejects ("read 9"
// for 7 rows) and store every later row with a line number 2 too high.
TEST(Ingest, OverlongLineIsOneRejectAndLaterLinesKeepTheirNumbers) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string prefix = "L-1,KTL,purchase-invoice," + kGoodTimes + ",1,";
  const std::string long_line = prefix + std::string(10'000'000, 't') + ",delivered";
  const std::string file =
      write_file(dir.path() / "long.csv", std::string(ingest::kHeader) + "\n" + good_row("G-1") + good_row("G-2") +
                                              good_row("G-3") + long_line + "\n" + good_row("G-4") + good_row("G-5") +
                                              good_row("G-6"));
  const auto report = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(report.rows_read, 7);
  EXPECT_EQ(report.accepted, 6);
  EXPECT_EQ(report.rejected, 1);
  EXPECT_EQ(rejects_of(db.session(), report.load_id),
            std::vector<std::string>{"5|malformed_csv|line of " + std::to_string(long_line.size()) +
                                     " bytes is longer than the limit of 1048576 bytes (1 MiB); raw holds its first "
                                     "1048576 bytes|L-1|KTL|2027-01-05"});
  EXPECT_EQ(count(db.session(), "SELECT length(raw) FROM ingest_reject"), 1'048'576);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM ingest_reject WHERE raw = " + std::string("'") +
                                    long_line.substr(0, 1'048'576) + "'"),
            1);
  std::string lines;
  db.session() << "SELECT string_agg(txn_id || ':' || line, ' ' ORDER BY line) FROM delivered_transaction",
      soci::into(lines);
  EXPECT_EQ(lines, "G-1:2 G-2:3 G-3:4 G-4:6 G-5:7 G-6:8");
  const std::string rejects = read_file(file + ".rejects.csv");
  EXPECT_EQ(std::count(rejects.begin(), rejects.end(), '\n'), 2);
  EXPECT_EQ(rejects.find("\n5,malformed_csv,"), rejects.find('\n'));
}

// Issue 11, item 11: a repeated header (two files joined) and a byte order mark before a
// data line are rejected for what they are; the BOM is not part of the reject's txn_id.
TEST(Ingest, RepeatedHeaderAndByteOrderMarks) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string bom = "\xEF\xBB\xBF";
  const std::string header = std::string(ingest::kHeader) + "\n";
  const std::string file =
      write_file(dir.path() / "joined.csv", bom + header + good_row("H-1") + header + good_row("H-2") + bom + header +
                                                good_row("H-3") + bom + good_row("H-4"));
  const auto report = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(report.rows_read, 6);
  EXPECT_EQ(report.accepted, 3);
  EXPECT_EQ(report.rejected, 3);
  EXPECT_EQ(rejects_of(db.session(), report.load_id),
            (std::vector<std::string>{
                "3|repeated_header|the header again: it belongs on line 1 only (two files joined?)|-|-|-",
                "5|repeated_header|the header again, after a byte order mark: it belongs on line 1 only (two files "
                "joined?)|-|-|-",
                "7|byte_order_mark|the line starts with a byte order mark (EF BB BF), which belongs only at the start "
                "of the file|H-4|KTL|2027-01-05"}));
  EXPECT_EQ(report.rejects_by_reason,
            (std::map<std::string, std::int64_t>{{"byte_order_mark", 1}, {"repeated_header", 2}}));
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM delivered_transaction WHERE txn_id IN ('H-1', 'H-2', 'H-3')"), 3);
}

// Issue 11, item 11: a file name that is not UTF-8 gave a raw SQL error (the database
// takes UTF-8). It is stored with its invalid bytes as \xNN, and the load goes on.
TEST(Ingest, FileNameThatIsNotUtf8IsStoredEscaped) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string name = "h\xE4me.csv";  // Latin-1
  const std::string file = write_file(dir.path() / name, std::string(ingest::kHeader) + "\n" + good_row("N-1"));
  const std::string shown = dir.path().string() + "/h\\xE4me.csv";
  const auto report = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(report.accepted, 1);
  std::string stored;
  db.session() << "SELECT file_name FROM ingest_load WHERE id = " + std::to_string(report.load_id), soci::into(stored);
  EXPECT_EQ(stored, shown);
  db.session() << "SELECT inputs->>'file' FROM job_run WHERE job = 'ingest'", soci::into(stored);
  EXPECT_EQ(stored, shown);

  // Through the program, whose job parameters name the file too.
  const auto cli =
      testing::run_costcover(db.connection_string(), "ingest --source erp2 --as-of 2027-02-28 '" + file + "'");
  EXPECT_EQ(cli.status, 0) << cli.out << cli.err;
  db.session() << "SELECT parameters->>'file' FROM job_run WHERE job = 'ingest' AND parameters->>'source' = 'erp2'",
      soci::into(stored);
  EXPECT_EQ(stored, shown);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM ingest_load WHERE file_name = " + std::string("'") + shown + "'"),
            2);
}

// Issue 11, item 5: FILE.rejects.csv is for people, who open it in a spreadsheet: a
// rejected line that starts like a formula is written as text (a leading single quote),
// while the reject table keeps the bytes as sent.
TEST(Ingest, RejectFileWritesFormulasAsText) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string hyperlink = "=HYPERLINK(\"http://evil.example\",\"x\"),KTL,purchase-invoice," + kGoodTimes + ",1,,";
  const std::string dde = "@SUM(1+1)*cmd|' /C calc'!A0,XYZ,purchase-invoice," + kGoodTimes + ",1,,";
  const std::string minus = "-1,KTL,purchase-invoice," + kGoodTimes + ",0,,";
  const std::string file = write_file(
      dir.path() / "formulas.csv", std::string(ingest::kHeader) + "\n" + hyperlink + "\n" + dde + "\n" + minus + "\n");
  const auto report = jobs::ingest_file(db.session(), load("erp", file, "2027-02-28T00:00:00+02:00"));
  EXPECT_EQ(report.rejected, 3);
  std::vector<std::string> raws(3);
  db.session() << "SELECT raw FROM ingest_reject ORDER BY line", soci::into(raws);
  EXPECT_EQ(raws, (std::vector<std::string>{hyperlink, dde, minus}));
  EXPECT_EQ(
      read_file(file + ".rejects.csv"),
      "line,reason_code,reason,raw\n"
      "2,malformed_csv,quote inside unquoted field 1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\"),KTL,"
      "purchase-invoice," +
          kGoodTimes +
          ",1,,\"\n"
          "3,unknown_agency,\"agency \"\"XYZ\"\" is unknown\",\"'@SUM(1+1)*cmd|' /C calc'!A0,XYZ,purchase-invoice," +
          kGoodTimes +
          ",1,,\"\n"
          "4,bad_quantity,\"quantity \"\"0\"\" is not a positive whole number (at most 1000000000)\",\"'-1,KTL,"
          "purchase-invoice," +
          kGoodTimes + ",0,,\"\n");
}

// A generated month: the nightly count equals the test's own count; re-running ingest and
// nightly changes nothing; a later file cancels earlier transactions and the late count
// follows.
TEST(Ingest, NightlyMatchesOwnCountAndIsIdempotent) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::int32_t first = ingest::days_from_civil(2027, 3, 1);
  const std::int32_t last = ingest::days_from_civil(2027, 3, 31);
  const std::vector<demo::GenerateStream> plan = {{"KTL", "purchase-invoice", "finance", 3000, first, last},
                                                  {"VM", "purchase-invoice", "finance", 1000, first, last},
                                                  {"VM", "payslip", "hr", 800, first, last}};
  demo::GenerateOptions options;
  options.year = 2027;
  options.month = 3;
  options.seed = 3;
  options.cutoff_micros = ts("2027-04-01T00:00:00+03:00");
  options.out_dir = dir.path().string();
  const auto files = demo::generate_month(plan, options);
  std::vector<std::string> paths;
  for (const auto& f : files) {
    const auto r = jobs::ingest_file(db.session(), load(f.source, f.path, "2027-04-01T00:00:00+03:00"));
    EXPECT_EQ(r.rejected, 0);
    EXPECT_EQ(r.accepted, f.rows);
    EXPECT_EQ(r.cancellations, f.cancellations);
    paths.push_back(f.path);
  }
  const auto first_run = jobs::run_nightly(db.session(), {});
  EXPECT_GT(first_run.keys, 0);
  const auto counted = volumes(db.session());
  EXPECT_EQ(counted, own_count(paths));
  long long id_sum = count(db.session(), "SELECT sum(id) FROM daily_volume");

  // Again: nothing to do. Re-delivered files: all duplicates, and the recount writes nothing.
  EXPECT_EQ(jobs::run_nightly(db.session(), {}).keys, 0);
  for (const auto& f : files) {
    const auto r = jobs::ingest_file(db.session(), load(f.source, f.path, "2027-04-01T00:00:00+03:00"));
    EXPECT_EQ(r.duplicates, r.rows_read);
  }
  const auto second = jobs::run_nightly(db.session(), {});
  EXPECT_EQ(second.written, 0);
  EXPECT_EQ(volumes(db.session()), counted);
  EXPECT_EQ(count(db.session(), "SELECT sum(id) FROM daily_volume"), id_sum);

  // A late file cancels two March transactions and delivers one late arrival for 2 March.
  std::string line1;
  std::string line2;
  {
    std::ifstream in(files[0].path);
    std::string line;
    std::getline(in, line);
    std::getline(in, line1);
    std::getline(in, line2);
  }
  auto cancel = [](std::string line) { return line.substr(0, line.rfind(',')) + ",cancelled\n"; };
  const std::string late = write_file(
      dir.path().string() + "/finance_late.csv",
      "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n" + cancel(line1) + cancel(line2) +
          "LATE-1,VM,purchase-invoice,2027-03-01T09:00:00+02:00,2027-03-02T10:00:00+02:00,2,,delivered\n");
  const auto r = jobs::ingest_file(db.session(), load("finance", late, "2027-04-02T00:00:00+03:00"));
  EXPECT_EQ(r.accepted, 3);
  EXPECT_EQ(r.cancellations, 2);
  jobs::NightlyOptions up_to;
  up_to.up_to = parse_date("2027-03-01");
  const auto partial = jobs::run_nightly(db.session(), up_to);
  EXPECT_GT(partial.still_dirty, 0);  // 2 March waits for a run that includes it
  (void)jobs::run_nightly(db.session(), {});
  // Own count over the original files plus the late one (same source "finance").
  const std::string merged = dir.path().string() + "/finance.csv";
  {
    std::ofstream out(merged, std::ios::app);
    const std::string text = read_file(late);
    out << text.substr(text.find('\n') + 1);
  }
  EXPECT_EQ(volumes(db.session()), own_count(paths));
}

// The first load of a month takes the fast path (rows copied straight into the new month
// table, moved back to the exact rules when their key repeats in the file or is stored in
// another month); a load into an existing month goes through staging. The same file loaded
// both ways gives the same outcomes, rows and rejects. Its keys for the new month do not
// arrive in ascending order, so the key is built after the COPY (the other tests' files
// are in key order: there it is kept during the COPY).
TEST(Ingest, NewMonthFastPathAgreesWithStagingPath) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::string jan = "2027-01-11T09:00:00+02:00,2027-01-12T10:00:00+02:00";
  const std::string feb = "2027-02-08T09:00:00+02:00,2027-02-09T10:00:00+02:00";
  const std::string earlier = write_file(dir.path().string() + "/january.csv",
                                         "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n"
                                         "M-100,KTL,purchase-invoice," +
                                             jan +
                                             ",1,,\n"
                                             "M-200,KTL,purchase-invoice," +
                                             jan +
                                             ",1,,\n"
                                             "M-300,KTL,purchase-invoice," +
                                             jan + ",1,,\n");
  const std::string file = write_file(
      dir.path().string() + "/february.csv",
      "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n"  // 1
      "M-950,KTL,purchase-invoice," +
          feb +
          ",1,,\n"  // 2 accepted (new month table)
          "M-100,KTL,purchase-invoice,2027-01-11T09:00:00+02:00,2027-02-09T10:00:00+02:00,1,,\n"  // 3 conflict with
                                                                                                  // January
          "M-200,KTL,purchase-invoice," +
          jan +
          ",1,,\n"  // 4 duplicate of January
          "M-300,KTL,purchase-invoice," +
          jan +
          ",1,,cancelled\n"  // 5 cancels January's M-300
          "M-400,VM,payslip," +
          feb +
          ",2,b;a,\n"  // 6 accepted (moved back)
          "M-400,VM,payslip," +
          feb +
          ",2,a;b,\n"  // 7 duplicate
          "M-500,KTL,purchase-invoice," +
          feb +
          ",1,,\n"  // 8 accepted (moved back)
          "M-500,KTL,purchase-invoice," +
          feb +
          ",5,,\n"  // 9 conflict (quantity)
          "M-600,KTL,purchase-invoice," +
          feb +
          ",1,,\n"  // 10 accepted, then
          "M-600,KTL,purchase-invoice," +
          feb +
          ",1,,cancelled\n"                                                             // 11 cancelled
          "M-700,VM,payslip,2027-02-26T09:00:00+02:00,2027-03-01T10:00:00+02:00,1,,\n"  // 12 accepted (March)
          "M-800,VM,payslip," +
          feb +
          ",1,,\n"  // 13 accepted (new month table)
          "M-900,KTL,purchase-invoice," +
          feb + ",1,,cancelled\n");  // 14 unknown_cancellation
  const char* as_of = "2027-03-31T00:00:00+03:00";
  for (const std::string source : {"fast", "staged"}) {
    (void)jobs::ingest_file(db.session(), load(source, earlier, as_of));
  }
  // "fast" creates the February table; "staged" then finds it and takes the staging path.
  ASSERT_EQ(count(db.session(), "SELECT count(*) FROM pg_class WHERE relname = 'delivered_transaction_2027_02'"), 0);
  std::map<std::string, jobs::IngestReport> reports;
  for (const std::string source : {"fast", "staged"})
    reports[source] = jobs::ingest_file(db.session(), load(source, file, as_of));

  for (const auto& [source, report] : reports) {
    SCOPED_TRACE(source);
    EXPECT_EQ(report.rows_read, 13);
    EXPECT_EQ(report.inserted, 6);
    EXPECT_EQ(report.cancellations, 2);
    EXPECT_EQ(report.accepted, 8);
    EXPECT_EQ(report.duplicates, 2);
    EXPECT_EQ(report.rejected, 3);
    std::string reason;
    std::string raw;
    db.session() << "SELECT reason, raw FROM ingest_reject WHERE load_id = " + std::to_string(report.load_id) +
                        " AND line = 3",
        soci::into(reason), soci::into(raw);
    const long long january_load =
        count(db.session(), "SELECT min(id) FROM ingest_load WHERE source = '" + source + "'");
    EXPECT_EQ(reason, "conflicting duplicate: txn_id \"M-100\" was accepted in load " + std::to_string(january_load) +
                          " (line 2) with a different delivered_at");
    EXPECT_EQ(raw, "M-100,KTL,purchase-invoice,2027-01-11T09:00:00+02:00,2027-02-09T10:00:00+02:00,1,,");
  }
  // Same rows (apart from the load ids), same rejects.
  const auto rows = [&](const std::string& source) {
    std::vector<std::string> out;
    soci::rowset<std::string> r =
        (db.session().prepare
         << "SELECT concat_ws('|', txn_id, agency, service, received_at, delivered_at, received_day, delivered_day, "
            "quantity, "
            "tags, line, cancelled_line, tableoid::regclass) FROM delivered_transaction WHERE source = '" +
                source + "' ORDER BY txn_id");
    for (const auto& row : r) out.push_back(row);
    return out;
  };
  EXPECT_EQ(rows("fast").size(), 9U);
  EXPECT_EQ(rows("fast"), rows("staged"));
  const auto rejects = [&](const std::string& source) {
    std::vector<std::string> out;
    soci::rowset<std::string> r =
        (db.session().prepare << "SELECT concat_ws('|', line, reason_code, raw) FROM ingest_reject WHERE source = '" +
                                     source + "' ORDER BY line");
    for (const auto& row : r) out.push_back(row);
    return out;
  };
  EXPECT_EQ(rejects("fast"), rejects("staged"));
  EXPECT_EQ(rejects("fast").size(), 3U);
  const std::string reject_file = read_file(file + ".rejects.csv");  // of the last load
  EXPECT_EQ(std::count(reject_file.begin(), reject_file.end(), '\n'), 4) << reject_file;
  EXPECT_NE(reject_file.find("\n3,conflict,"), std::string::npos) << reject_file;

  // The new table is an ordinary partition: attached, with the primary key and the BRIN
  // index, and without the range constraint it was built with.
  EXPECT_EQ(count(db.session(),
                  "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'delivered_transaction_2027_02'::regclass "
                  "AND inhparent = 'delivered_transaction'::regclass"),
            1);
  EXPECT_EQ(
      count(db.session(), "SELECT count(*) FROM pg_index WHERE indrelid = 'delivered_transaction_2027_02'::regclass"),
      2);
  EXPECT_EQ(count(db.session(),
                  "SELECT count(*) FROM pg_constraint WHERE conrelid = "
                  "'delivered_transaction_2027_02'::regclass AND conname LIKE '%_month'"),
            0);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM delivered_transaction_2027_02 WHERE source = 'fast'"), 5);
  // The COPY leaves the source and the load id to column defaults; every row has the
  // load's, and the defaults are gone once the table is attached.
  EXPECT_EQ(
      count(db.session(), "SELECT count(*) FROM delivered_transaction_2027_02 WHERE source = 'fast' AND load_id = " +
                              std::to_string(reports["fast"].load_id)),
      5);
  EXPECT_EQ(count(db.session(),
                  "SELECT count(*) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND "
                  "a.attnum = d.adnum WHERE d.adrelid = 'delivered_transaction_2027_02'::regclass AND "
                  "a.attname IN ('source', 'load_id')"),
            0);
  EXPECT_THROW(db.session() << "INSERT INTO delivered_transaction (source, txn_id, agency, service, received_at, "
                               "delivered_at, received_day, delivered_day, quantity, load_id, line) VALUES ('fast', "
                               "'M-950', 'KTL', 'purchase-invoice', now(), now(), '2027-02-09', '2027-02-09', 1, 1, 1)",
               soci::soci_error);
}

// Runs the real program; kills it with SIGKILL after `after` (or lets it finish).
int run_program(const std::string& conninfo, const std::vector<std::string>& args, std::chrono::milliseconds after) {
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("COSTCOVER_DATABASE_URL", conninfo.c_str(), 1);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv;
    const std::string binary = testing::costcover_binary();
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  if (after.count() > 0) {
    std::this_thread::sleep_for(after);
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(Ingest, KilledLoadsAndNightlyRunsLeaveBeforeOrAfter) {
  TestDatabase db;
  add_reference_data(db.session());
  testing::TempDir dir("ccingest");
  const std::int32_t first = ingest::days_from_civil(2027, 3, 1);
  const std::int32_t last = ingest::days_from_civil(2027, 3, 31);
  demo::GenerateOptions options;
  options.year = 2027;
  options.month = 3;
  options.seed = 11;
  options.cutoff_micros = ts("2027-04-01T00:00:00+03:00");
  options.out_dir = dir.path().string();
  const auto files = demo::generate_month({{"KTL", "purchase-invoice", "finance", 150'000, first, last},
                                           {"VM", "purchase-invoice", "finance", 50'000, first, last}},
                                          options);
  const auto& file = files.at(0);
  const long long transactions = file.rows - file.cancellations;
  const std::vector<std::string> ingest_args = {"ingest", "--source", "finance", "--as-of", "2027-04-02", file.path};

  auto state = [&] { return count(db.session(), "SELECT count(*) FROM delivered_transaction"); };
  int interrupted = 0;
  for (const int ms : {50, 200, 1000, 2000}) {
    const int status = run_program(db.connection_string(), ingest_args, std::chrono::milliseconds(ms));
    const long long now = state();
    EXPECT_TRUE(now == 0 || now == transactions) << "after a kill at " << ms << " ms: " << now << " rows";
    EXPECT_TRUE(status == -SIGKILL || status == 0) << status;
    if (now == 0) {
      EXPECT_EQ(count(db.session(), "SELECT count(*) FROM ingest_load"), 0);
      ++interrupted;
    }
  }
  EXPECT_GE(interrupted, 1) << "no kill landed inside a load";
  EXPECT_EQ(run_program(db.connection_string(), ingest_args, std::chrono::milliseconds(0)), 0);
  EXPECT_EQ(state(), transactions);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM ingest_load WHERE accepted > 0"), 1);
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM job_run WHERE job = 'ingest' AND outcome = 'running'"), 0);

  const auto expected = own_count({file.path});
  for (const int ms : {30, 150, 400}) {
    run_program(db.connection_string(), {"nightly"}, std::chrono::milliseconds(ms));
    const auto now = volumes(db.session());
    EXPECT_TRUE(now.empty() || now == expected) << "after a nightly kill at " << ms << " ms: " << now.size() << " rows";
  }
  EXPECT_EQ(run_program(db.connection_string(), {"nightly"}, std::chrono::milliseconds(0)), 0);
  EXPECT_EQ(volumes(db.session()), expected);
}

// The loader computes Helsinki days without a time-zone database; PostgreSQL's tzdata
// must agree around every daylight-saving change of the supported years.
TEST(Ingest, HelsinkiDaysAgreeWithPostgres) {
  TestDatabase db;
  std::vector<long long> instants;
  for (int year = 2000; year <= 2099; ++year) {
    for (const int month : {3, 10}) {
      for (int day = 24; day <= 31; ++day) {
        const std::int64_t midnight = static_cast<std::int64_t>(ingest::days_from_civil(year, month, day)) * 86'400;
        for (const int hour : {0, 1, 20, 21, 22, 23}) instants.push_back(midnight + hour * 3600 - 1);
      }
    }
  }
  std::string list;
  for (const auto t : instants) list += (list.empty() ? "" : ",") + std::to_string(t);
  std::vector<std::string> days(instants.size());
  db.session() << "SELECT CAST(CAST(to_timestamp(t) AT TIME ZONE 'Europe/Helsinki' AS date) AS text) "
                  "FROM unnest(ARRAY[" +
                      list + "]) WITH ORDINALITY AS u (t, i) ORDER BY i",
      soci::into(days);
  ASSERT_EQ(days.size(), instants.size());
  for (std::size_t i = 0; i < instants.size(); ++i) {
    EXPECT_EQ(ingest::format_day(ingest::helsinki_day(instants[i] * ingest::kMicrosPerSecond)), days[i]) << instants[i];
  }
}

TEST(Ingest, SecondNightlyWaitsOrExitsWithNoWait) {
  TestDatabase db;
  db::JobLock held(db.session(), "nightly", true);
  const auto result = testing::run_costcover(db.connection_string(), "nightly --no-wait");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("another costcover job holds the nightly lock"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace costcover
