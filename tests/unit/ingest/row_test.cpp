// The per-row rules of the transaction CSV: one case per rejection reason, and the CSV
// scanner's quoting, line numbers and offsets.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "core/utf8.hpp"
#include "ingest/csv_scanner.hpp"
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
  const auto cancelled =
      check("AP-1,KTL,purchase-invoice,2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00,3,,cancelled");
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
      {"AP-1,KTL,purchase-invoice," + ok_times + ",0,,", RejectReason::bad_quantity,
       "quantity \"0\" is not a positive"},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",-2,,", RejectReason::bad_quantity, "quantity \"-2\""},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",1.5,,", RejectReason::bad_quantity, "quantity \"1.5\""},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",99999999999,,", RejectReason::bad_quantity, "quantity"},
      {"AP-1,KTL,purchase-invoice," + ok_times + ",1,,done", RejectReason::bad_status,
       "status \"done\" is not delivered or cancelled"},
      // Issue 11: a repeated header was "agency \"agency\" is unknown"; a byte order mark
      // before a data line became part of its txn_id.
      {std::string(kHeader), RejectReason::repeated_header,
       "the header again: it belongs on line 1 only (two files joined?)"},
      {"\xEF\xBB\xBF" + std::string(kHeader), RejectReason::repeated_header,
       "the header again, after a byte order mark: it belongs on line 1 only (two files joined?)"},
      {"\xEF\xBB\xBF"
       "AP-1,KTL,purchase-invoice," +
           ok_times + ",1,,",
       RejectReason::byte_order_mark,
       "the line starts with a byte order mark (EF BB BF), which belongs only at the start of the file"},
  };
  for (const auto& c : cases) {
    const auto checked = check(c.line);
    EXPECT_FALSE(checked.ok) << c.line;
    EXPECT_EQ(reason_code(checked.rejection.reason), reason_code(c.reason)) << c.line;
    EXPECT_NE(checked.rejection.message.find(c.message), std::string::npos)
        << c.line << " gave: " << checked.rejection.message;
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
  EXPECT_EQ(read("S\xff"
                 "1,K\xff"
                 "L,payslip,x,2027-01-05T10:00:00+02:00,1,,"),
            std::make_tuple("(none)", "(none)", "2027-01-05"));
  EXPECT_EQ(read(std::string(kMaxTxnIdBytes + 1, 'x') + ",KTL,payslip,x,y,1,,"),
            std::make_tuple("(none)", "KTL", "(none)"));
  // A byte order mark is not part of the txn_id (re-sending the row without it resolves
  // the reject); a repeated header says nothing.
  EXPECT_EQ(read("\xEF\xBB\xBF"
                 "S-1,KTL,payslip,x,2027-01-05T10:00:00+02:00,1,,"),
            std::make_tuple("S-1", "KTL", "2027-01-05"));
  EXPECT_EQ(read(std::string(kHeader)), std::make_tuple("(none)", "(none)", "(none)"));
  EXPECT_EQ(read("\xEF\xBB\xBF" + std::string(kHeader)), std::make_tuple("(none)", "(none)", "(none)"));
}

TEST(RowRules, WhatAMalformedRowSays) {
  const auto read = [](const std::string& line) {
    std::string error;
    const std::vector<std::string> owned = split_csv_line(line, &error);
    EXPECT_FALSE(error.empty()) << line;
    const std::vector<std::string_view> fields(owned.begin(), owned.end());
    const RejectedRowFields got = read_malformed_row(fields);
    return std::make_tuple(error, got.txn_id ? std::string(*got.txn_id) : "(none)",
                           got.agency ? std::string(*got.agency) : "(none)",
                           got.delivered_day ? format_day(*got.delivered_day) : "(none)");
  };
  // The fields before the broken one are read: the unterminated tags of issue 11.
  EXPECT_EQ(read("B-1,KTL,payslip,2027-01-05T08:00:00+02:00,2027-01-05T10:00:00+02:00,1,\"abc,delivered"),
            std::make_tuple("unterminated quoted field 7", "B-1", "KTL", "2027-01-05"));
  EXPECT_EQ(read("B-1,K\"TL,payslip,x,2027-01-05T10:00:00+02:00,1,,"),
            std::make_tuple("quote inside unquoted field 2", "B-1", "(none)", "(none)"));
  EXPECT_EQ(read("\"B-1\"x,KTL,payslip,x,2027-01-05T10:00:00+02:00,1,,"),
            std::make_tuple("text after the closing quote of field 1", "(none)", "(none)", "(none)"));
  EXPECT_EQ(read("\"B,1\",KTL,\"pay"), std::make_tuple("unterminated quoted field 3", "B,1", "KTL", "(none)"));
}

TEST(RowRules, Utf8AndTags) {
  EXPECT_TRUE(is_text("Ostolaskun käsittely, Åbo, 日本"));
  EXPECT_FALSE(is_text(std::string_view("a\0b", 3)));
  EXPECT_FALSE(is_text("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_text("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_text("abc\xE2\x82"));   // truncated
  EXPECT_EQ(normalize_tags(""), "");
  EXPECT_EQ(normalize_tags(";;"), "");
  EXPECT_EQ(normalize_tags("rework-provider;late-from-client;rework-provider"), "late-from-client;rework-provider");
  EXPECT_EQ(escape_invalid_utf8("a\xFF"
                                "b"),
            "a\\xFFb");
  EXPECT_EQ(escape_invalid_utf8("käsittely"), "käsittely");
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
  CsvScanner scanner(file, 2);
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
  // A quote still open at the end of the file: its line alone is malformed, and the scan
  // goes on at the next line.
  ASSERT_TRUE(scanner.next(r));
  EXPECT_EQ(r.line, 7);
  EXPECT_EQ(r.raw, "\"open,x");
  EXPECT_EQ(r.error, "unterminated quoted field 1");
  ASSERT_TRUE(scanner.next(r));
  EXPECT_EQ(r.line, 8);
  EXPECT_EQ(r.raw, "last,row");
  EXPECT_TRUE(r.error.empty());
  EXPECT_FALSE(scanner.next(r));
  std::fclose(file);
}

// What the scanner returns for a file: line, raw, error and fields of each record.
struct Scanned {
  std::int64_t line;
  std::string raw;
  std::string error;
  std::vector<std::string> fields;
};

std::vector<Scanned> scan_all(const std::string& text, std::size_t columns = kColumns) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  std::fwrite(text.data(), 1, text.size(), file);
  std::rewind(file);
  CsvScanner scanner(file, columns);
  CsvRecord r;
  std::vector<Scanned> out;
  std::int64_t consumed = 0;
  while (scanner.next(r)) {
    out.push_back({r.line, std::string(r.raw), r.error, {r.fields.begin(), r.fields.end()}});
    EXPECT_GT(scanner.bytes_consumed(), consumed);
    consumed = scanner.bytes_consumed();
  }
  EXPECT_EQ(scanner.bytes_consumed(), static_cast<std::int64_t>(text.size()));
  std::fclose(file);
  return out;
}

const std::string kTimes = "2027-01-03T08:15:00+02:00,2027-01-05T14:02:11+02:00";
std::string good_row(int i) { return "G-" + std::to_string(i) + ",KTL,purchase-invoice," + kTimes + ",1,,delivered"; }

// Issue 11, item 2: three good rows, one ending in an unterminated quote, then 5 000 good
// rows. The quote used to run to the end of the file (0.57 MB, under the 1 MiB limit) and
// take all 5 000 rows into one reject.
TEST(CsvScanner, UnterminatedQuoteRejectsItsLineAlone) {
  std::string text = std::string(kHeader) + "\n";
  for (int i = 1; i <= 3; ++i) text += good_row(i) + "\n";
  const std::string broken = "B-1,KTL,purchase-invoice," + kTimes + ",1,\"abc,delivered";
  text += broken + "\n";
  for (int i = 4; i <= 5003; ++i) text += good_row(i) + (i % 2 == 0 ? "\n" : "\r\n");
  const auto records = scan_all(text);
  ASSERT_EQ(records.size(), 1U + 3 + 1 + 5000);
  const Scanned& bad = records[4];
  EXPECT_EQ(bad.line, 5);
  EXPECT_EQ(bad.raw, broken);
  EXPECT_EQ(bad.error, "unterminated quoted field 7");
  // The whole fields before the broken one are kept, for the reject's txn_id and agency.
  EXPECT_EQ(bad.fields, (std::vector<std::string>{"B-1", "KTL", "purchase-invoice", "2027-01-03T08:15:00+02:00",
                                                  "2027-01-05T14:02:11+02:00", "1"}));
  for (std::size_t i = 5; i < records.size(); ++i) {
    ASSERT_EQ(records[i].line, static_cast<std::int64_t>(i) + 1);
    ASSERT_TRUE(records[i].error.empty()) << records[i].line << ": " << records[i].error;
    ASSERT_EQ(records[i].raw, good_row(static_cast<int>(i) - 1));
  }
}

// The same where the quote closes later in the file (a quoted field further down): the
// parity flips there, but the first continuation line is a whole record already.
TEST(CsvScanner, UnterminatedQuoteBeforeALaterQuotedField) {
  const std::string text = std::string(kHeader) + "\n" + "B-1,KTL,purchase-invoice," + kTimes + ",1,\"abc,delivered\n" +
                           good_row(1) + "\n" + "Q-1,KTL,purchase-invoice," + kTimes + ",1,\"a;b\",delivered\n" +
                           good_row(2) + "\n";
  const auto records = scan_all(text);
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].error, "unterminated quoted field 7");
  for (std::size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(records[i].line, static_cast<std::int64_t>(i) + 1);
    EXPECT_TRUE(records[i].error.empty()) << records[i].error;
    EXPECT_EQ(records[i].fields.size(), kColumns);
  }
  EXPECT_EQ(records[3].fields[6], "a;b");
}

// Legitimate line breaks inside quoted fields still make one record, also when a
// continuation line, read alone, would split into 8 fields but starts with a quote (it may
// close the field; here it is an escaped quote inside it).
TEST(CsvScanner, MultiLineQuotedFieldsStillLoad) {
  const std::string first = "M-1,KTL,purchase-invoice," + kTimes + ",1,\"a\nb\",delivered";
  const std::string second = "M-2,KTL,purchase-invoice," + kTimes + ",1,\"a\r\n\"\",b,c,d,e,f,g,h\nz\",delivered";
  const std::string text = std::string(kHeader) + "\n" + first + "\n" + second + "\n" + good_row(1) + "\n";
  const auto records = scan_all(text);
  ASSERT_EQ(records.size(), 4U);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_TRUE(records[1].error.empty()) << records[1].error;
  EXPECT_EQ(records[1].raw, first);
  ASSERT_EQ(records[1].fields.size(), kColumns);
  EXPECT_EQ(records[1].fields[6], "a\nb");
  EXPECT_EQ(records[2].line, 4);
  EXPECT_TRUE(records[2].error.empty()) << records[2].error;
  ASSERT_EQ(records[2].fields.size(), kColumns);
  EXPECT_EQ(records[2].fields[6], "a\r\n\",b,c,d,e,f,g,h\nz");
  EXPECT_EQ(records[3].line, 7);
  EXPECT_EQ(records[3].raw, good_row(1));
  // Without a column count the scanner does not look into continuation lines.
  const auto plain = scan_all(std::string(kHeader) + "\n\"open\n" + good_row(1) + "\nx\"\n", 0);
  ASSERT_EQ(plain.size(), 2U);
  EXPECT_EQ(plain[1].line, 2);
  EXPECT_EQ(plain[1].raw, "\"open\n" + good_row(1) + "\nx\"");
}

// A quote that does not close within 1 MiB, over lines that are not records: the first
// line alone is malformed, and the lines after it are records of their own.
TEST(CsvScanner, QuoteOpenPastTheLimitRejectsItsLineAlone) {
  std::string text = std::string(kHeader) + "\nB-1,KTL,\"open\n";
  const std::string filler(99, 'x');
  const std::size_t lines = CsvScanner::kMaxRecordBytes / 100 + 10;
  for (std::size_t i = 0; i < lines; ++i) text += filler + "\n";
  text += good_row(1) + "\n";
  const auto records = scan_all(text);
  ASSERT_EQ(records.size(), 2U + lines + 1);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].raw, "B-1,KTL,\"open");
  EXPECT_EQ(records[1].error, "unterminated quoted field 3 (no closing quote within 1 MiB)");
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"B-1", "KTL"}));
  EXPECT_EQ(records[2].line, 3);
  EXPECT_EQ(records[2].raw, filler);
  EXPECT_EQ(records.back().line, static_cast<std::int64_t>(lines) + 3);
  EXPECT_EQ(records.back().raw, good_row(1));
}

// Issue 11, item 6: a 10 MB field used to become three records (cut at each 4 MiB block)
// and push every later line number up by 2. It is one record for one physical line, its
// raw cut to 1 MiB at a character boundary; the scan goes on after the line's real end.
TEST(CsvScanner, OverlongLineIsOneRecord) {
  for (const bool quoted : {false, true}) {
    SCOPED_TRACE(quoted ? "quoted" : "unquoted");
    std::string huge;
    while (huge.size() < 10'000'000) huge += "tag-\xC3\xA4;";  // a 2-byte character now and then
    const std::string field = quoted ? "\"" + huge + "\"" : huge;
    const std::string long_line = "L-1,KTL,purchase-invoice," + kTimes + ",1," + field + ",delivered";
    std::string text = std::string(kHeader) + "\n" + good_row(1) + "\n" + good_row(2) + "\r\n" + long_line + "\r\n";
    for (int i = 3; i <= 6; ++i) text += good_row(i) + "\n";
    const auto records = scan_all(text);
    ASSERT_EQ(records.size(), 8U);
    const Scanned& bad = records[3];
    EXPECT_EQ(bad.line, 4);
    EXPECT_EQ(bad.error, "line of " + std::to_string(long_line.size()) +
                             " bytes is longer than the limit of 1048576 bytes (1 MiB); raw holds its first " +
                             std::to_string(bad.raw.size()) + " bytes");
    EXPECT_LE(bad.raw.size(), CsvScanner::kMaxRecordBytes);
    EXPECT_GE(bad.raw.size(), CsvScanner::kMaxRecordBytes - 3);
    EXPECT_EQ(bad.raw, long_line.substr(0, bad.raw.size()));
    EXPECT_TRUE(is_text(bad.raw));  // not cut inside a character
    EXPECT_EQ(bad.fields, (std::vector<std::string>{"L-1", "KTL", "purchase-invoice", "2027-01-03T08:15:00+02:00",
                                                    "2027-01-05T14:02:11+02:00", "1"}));
    for (std::size_t i = 4; i < records.size(); ++i) {
      EXPECT_EQ(records[i].line, static_cast<std::int64_t>(i) + 1);
      EXPECT_TRUE(records[i].error.empty()) << records[i].error;
      EXPECT_EQ(records[i].raw, good_row(static_cast<int>(i) - 1));
    }
  }
  // At the end of the file, without a line break; and just over the limit.
  const std::string last(CsvScanner::kMaxRecordBytes + 1, 'y');
  const auto records = scan_all(std::string(kHeader) + "\n" + good_row(1) + "\n" + last);
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[2].line, 3);
  EXPECT_EQ(records[2].raw.size(), CsvScanner::kMaxRecordBytes);
  EXPECT_NE(records[2].error.find("line of 1048577 bytes is longer"), std::string::npos) << records[2].error;
  // A line of exactly the limit is a record like any other.
  const std::string full = "F-1,KTL,purchase-invoice," + kTimes + ",1,";
  const std::string at_limit = full + std::string(CsvScanner::kMaxRecordBytes - full.size() - 1, 't') + ",";
  const auto ok = scan_all(at_limit + "\n" + good_row(1) + "\n");
  ASSERT_EQ(ok.size(), 2U);
  EXPECT_EQ(ok[0].raw.size(), CsvScanner::kMaxRecordBytes);
  EXPECT_TRUE(ok[0].error.empty()) << ok[0].error;
  EXPECT_EQ(ok[1].line, 2);
}

}  // namespace
}  // namespace costcover::ingest
