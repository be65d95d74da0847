// The per-row rules of the transaction CSV: one case per rejection reason, and the CSV
// scanner's quoting, line numbers and offsets.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "ingest/csv_scanner.hpp"
#include "ingest/loader.hpp"
#include "ingest/row.hpp"
#include "ingest/timestamp.hpp"

namespace costcover::ingest {
namespace {

RowValidator validator() {
  const auto as_of = parse_timestamp("2027-02-01T00:00:00+02:00", nullptr)->micros;
  return RowValidator({"KTL", "VM"}, {"payslip", "purchase-invoice"}, as_of);
}

struct Checked {
  bool ok = false;
  ValidRow row;
  Rejection rejection;
};

Checked check(const std::string& line) {
  std::string error;
  std::vector<std::string> owned = split_csv_line(line, &error);
  std::vector<std::string_view> fields(owned.begin(), owned.end());
  Checked out;
  out.ok = validator().validate(line, fields, out.row, out.rejection);
  return out;
}

TEST(RowRules, AcceptsAGoodRowAndNormalisesIt) {
  const auto c = check("AP-1,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00,,b;a;;b,");
  ASSERT_TRUE(c.ok) << c.rejection.message;
  EXPECT_EQ(c.row.quantity, 1);
  EXPECT_EQ(c.row.tags, "a;b");
  EXPECT_FALSE(c.row.cancelled);
  EXPECT_EQ(c.row.delivered_day, days_from_civil(2027, 1, 5));
  EXPECT_EQ(c.row.received_day, days_from_civil(2027, 1, 3));
  const auto cancelled = check("AP-1,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00,3,,cancelled");
  ASSERT_TRUE(cancelled.ok);
  EXPECT_TRUE(cancelled.row.cancelled);
  EXPECT_EQ(cancelled.row.quantity, 3);
}

TEST(RowRules, EveryReasonWithItsMessage) {
  struct Case {
    std::string line;
    RejectReason reason;
    const char* message;
  };
  const std::string ok_times = "2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00";
  const std::vector<Case> cases = {
      {"AP-1,KTL,purchase-invoice," + ok_times + ",1,", RejectReason::column_count, "expected 8 columns, found 7"},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",1,,delivered,x", RejectReason::column_count, "found 9"},
      {"AP-1,K\xC3\x28L,purchase-invoice," + ok_times + ",1,,", RejectReason::invalid_utf8, "not valid UTF-8"},
      {",KTL,purchase-invoice," + ok_times + ",1,,", RejectReason::missing_txn_id, "txn_id is empty"},
      {"AP-1,XYZ,purchase-invoice," + ok_times + ",1,,", RejectReason::unknown_agency, "agency \"XYZ\" is unknown"},
      {"AP-1,KTL,haircut," + ok_times + ",1,,", RejectReason::unknown_service, "service \"haircut\" is unknown"},
      {"AP-1,KTL,purchase-invoice,yesterday,2027-01-05T14:02:11+02:00,1,,", RejectReason::bad_timestamp,
       "received_at \"yesterday\" is not a timestamp"},
      {"AP-1,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-01-32T14:02:11+02:00,1,,", RejectReason::bad_timestamp,
       "delivered_at \"2027-01-32T14:02:11+02:00\" is not a real day"},
      {"AP-1,KTL,purchase-invoice,2027-01-05T08:15:00+02:00,2027-01-03T14:02:11+02:00,1,,",
       RejectReason::delivered_before_received,
       "delivered_at \"2027-01-03T14:02:11+02:00\" is before received_at \"2027-01-05T08:15:00+02:00\""},
      {"AP-1,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-02-01T00:00:01+02:00,1,,",
       RejectReason::delivered_in_future, "is after the load's as-of time 2027-02-01T00:00:00+02:00"},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",0,,", RejectReason::bad_quantity, "quantity \"0\" is not a positive"},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",-2,,", RejectReason::bad_quantity, "quantity \"-2\""},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",1.5,,", RejectReason::bad_quantity, "quantity \"1.5\""},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",99999999999,,", RejectReason::bad_quantity, "quantity"},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",1,,done", RejectReason::bad_status,
       "status \"done\" is not delivered or cancelled"},
  };
  for (const auto& c : cases) {
    const auto checked = check(c.line);
    EXPECT_FALSE(checked.ok) << c.line;
    EXPECT_EQ(reason_code(checked.rejection.reason), reason_code(c.reason)) << c.line;
    EXPECT_NE(checked.rejection.message.find(c.message), std::string::npos) << c.line << " gave: " << checked.rejection.message;
  }
}

TEST(RowRules, WhatARejectedRowSays) {
  const auto read = [](const std::string& line) {
    std::string error;
    const std::vector<std::string> owned = split_csv_line(line, &error);
    EXPECT_TRUE(error.empty()) << error;
    const std::vector<std::string_view> fields(owned.begin(), owned.end());
    const RejectedRowFields got = read_rejected_row(fields);
    // Copies, as the views point into `owned`.
    return std::make_tuple(got.txn_id ? std::string(*got.txn_id) : "(none)",
                           got.agency ? std::string(*got.agency) : "(none)",
                           got.delivered_day ? format_day(*got.delivered_day) : "(none)");
  };
  // A quoted comma stays inside its field; the day is Helsinki's (23:30 UTC is 01:30 or
  // 02:30 the next day there).
  EXPECT_EQ(read("\"R,1\",XYZ,haircut,2027-01-30T08:00:00Z,2027-01-31T23:30:00Z,0,,"),
            std::make_tuple("R,1", "XYZ", "2027-02-01"));
  EXPECT_EQ(read("S-1,KTL,payslip,2027-01-30T08:00:00Z,2027-02-30T10:00:00Z,1,,"),
            std::make_tuple("S-1", "KTL", "(none)"));
  EXPECT_EQ(read(",KTL,payslip,x,2027-01-05T10:00:00+02:00,1,,"), std::make_tuple("(none)", "KTL", "2027-01-05"));
  EXPECT_EQ(read("S-1,KTL,payslip,2027-01-05T10:00:00+02:00,1,,"), std::make_tuple("(none)", "(none)", "(none)"));
  EXPECT_EQ(read("S\xff" "1,K\xff" "L,payslip,x,2027-01-05T10:00:00+02:00,1,,"),
            std::make_tuple("(none)", "(none)", "2027-01-05"));
  EXPECT_EQ(read(std::string(kMaxTxnIdBytes + 1, 'x') + ",KTL,payslip,x,y,1,,"),
            std::make_tuple("(none)", "KTL", "(none)"));
}

TEST(RowRules, Utf8AndTags) {
  EXPECT_TRUE(is_valid_utf8("Ostolaskun käsittely, Åbo, 日本"));
  EXPECT_FALSE(is_valid_utf8(std::string_view("a\0b", 3)));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));   // surrogate
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));       // overlong
  EXPECT_FALSE(is_valid_utf8("abc\xE2\x82"));    // truncated
  EXPECT_EQ(normalize_tags(""), "");
  EXPECT_EQ(normalize_tags(";;"), "");
  EXPECT_EQ(normalize_tags("rework-provider;late-from-client;rework-provider"), "late-from-client;rework-provider");
  EXPECT_EQ(sanitize_raw("a\xFF" "b"), "a\\xFFb");
  EXPECT_EQ(sanitize_raw("käsittely"), "käsittely");
}

TEST(CsvScanner, QuotingLinesAndOffsets) {
  const std::string text =
      "h1,h2\r\n"
      "a,\"b,c\"\n"
      "\n"
      "\"multi\nline\",\"say \"\"hi\"\"\"\n"
      "bad\"quote,x\n"
      "\"open,x\n"
      "last,row";
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  std::fwrite(text.data(), 1, text.size(), file);
  std::rewind(file);
  CsvScanner scanner(file);
  CsvRecord r;
  ASSERT_TRUE(scanner.next(r));
  EXPECT_EQ(r.line, 1);
  EXPECT_EQ(r.raw, "h1,h2");
  ASSERT_TRUE(scanner.next(r));
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.offset, 7);
  ASSERT_EQ(r.fields.size(), 2U);
  EXPECT_EQ(r.fields[1], "b,c");
  ASSERT_TRUE(scanner.next(r));  // the blank line 3 is skipped
  EXPECT_EQ(r.line, 4);
  ASSERT_EQ(r.fields.size(), 2U);
  EXPECT_EQ(r.fields[0], "multi\nline");
  EXPECT_EQ(r.fields[1], "say \"hi\"");
  ASSERT_TRUE(scanner.next(r));
  EXPECT_EQ(r.line, 6);
  EXPECT_EQ(r.error, "quote inside unquoted field 1");
  // An unterminated quote swallows the rest of the file as one malformed record.
  ASSERT_TRUE(scanner.next(r));
  EXPECT_EQ(r.line, 7);
  EXPECT_NE(r.error.find("unterminated quoted field"), std::string::npos);
  EXPECT_FALSE(scanner.next(r));
  std::fclose(file);
}

}  // namespace
}  // namespace costcover::ingest
