// CsvReader edge cases (line numbers, raw text, malformed records and recovery), UTF-8
// validation and the writer helpers.
#include "core/csv.hpp"
#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace costcover {
namespace {

struct Row {
  std::int64_t line;
  std::vector<std::string> fields;
  std::string raw;
  std::string error;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Row& row) {
  out << "{line " << row.line << ", [";
  for (const auto& f : row.fields) out << '"' << f << "\" ";
  return out << "], raw \"" << row.raw << "\", error \"" << row.error << "\"}";
}

std::vector<Row> read_all(const std::string& text, std::size_t max_record_bytes = CsvReader::kDefaultMaxRecordBytes) {
  std::istringstream in(text);
  CsvReader reader(in, max_record_bytes);
  CsvRecord record;
  std::vector<Row> rows;
  while (reader.next(record)) rows.push_back({record.line, record.fields, record.raw, record.error});
  return rows;
}

using Rows = std::vector<Row>;

TEST(CsvReader, SimpleLf) {
  EXPECT_EQ(read_all("a,b,c\n1,2,3\n"), (Rows{{1, {"a", "b", "c"}, "a,b,c", ""}, {2, {"1", "2", "3"}, "1,2,3", ""}}));
}

TEST(CsvReader, Crlf) {
  EXPECT_EQ(read_all("a,b\r\n1,2\r\n"), (Rows{{1, {"a", "b"}, "a,b", ""}, {2, {"1", "2"}, "1,2", ""}}));
  EXPECT_EQ(read_all("a,\"b\"\r\n1,\"\"\r\n"), (Rows{{1, {"a", "b"}, "a,\"b\"", ""}, {2, {"1", ""}, "1,\"\"", ""}}));
  // Mixed line endings and a CRLF last line without a final break.
  EXPECT_EQ(read_all("a\r\nb\nc\r"), (Rows{{1, {"a"}, "a", ""}, {2, {"b"}, "b", ""}, {3, {"c"}, "c", ""}}));
}

TEST(CsvReader, LoneCrIsData) { EXPECT_EQ(read_all("a\rb,c\n"), (Rows{{1, {"a\rb", "c"}, "a\rb,c", ""}})); }

TEST(CsvReader, NoFinalLineBreak) {
  EXPECT_EQ(read_all("a,b\n1,2"), (Rows{{1, {"a", "b"}, "a,b", ""}, {2, {"1", "2"}, "1,2", ""}}));
  EXPECT_EQ(read_all("1,\"x\""), (Rows{{1, {"1", "x"}, "1,\"x\"", ""}}));
}

TEST(CsvReader, EmptyInput) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\n").empty());
  EXPECT_TRUE(read_all("\r\n\r\n").empty());
}

TEST(CsvReader, EmptyFields) {
  EXPECT_EQ(read_all("a,b,\n"), (Rows{{1, {"a", "b", ""}, "a,b,", ""}}));  // trailing empty field
  EXPECT_EQ(read_all(",\n"), (Rows{{1, {"", ""}, ",", ""}}));
  EXPECT_EQ(read_all(",,\r\n"), (Rows{{1, {"", "", ""}, ",,", ""}}));
  EXPECT_EQ(read_all("a,\"\",c\n"), (Rows{{1, {"a", "", "c"}, "a,\"\",c", ""}}));
  EXPECT_EQ(read_all("a,b,"), (Rows{{1, {"a", "b", ""}, "a,b,", ""}}));
  EXPECT_EQ(read_all("\"\""), (Rows{{1, {""}, "\"\"", ""}}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  EXPECT_EQ(read_all("a\n\nb\r\n\r\n\nc\n\n"), (Rows{{1, {"a"}, "a", ""}, {3, {"b"}, "b", ""}, {6, {"c"}, "c", ""}}));
  EXPECT_EQ(read_all("\n\na\n"), (Rows{{3, {"a"}, "a", ""}}));
}

TEST(CsvReader, QuotedFields) {
  EXPECT_EQ(read_all("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n"),
            (Rows{{1, {"a,b", "say \"hi\"", "\""}, "\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"", ""}}));
  EXPECT_EQ(read_all("\" padded \", x \n"), (Rows{{1, {" padded ", " x "}, "\" padded \", x ", ""}}));
}

TEST(CsvReader, QuotedNewlinesKeepLineNumbers) {
  const std::string text = "id,note\n1,\"two\nlines\"\n2,\"three\r\nlines\r\nhere\"\r\n3,plain\n";
  EXPECT_EQ(read_all(text), (Rows{
                                {1, {"id", "note"}, "id,note", ""},
                                {2, {"1", "two\nlines"}, "1,\"two\nlines\"", ""},
                                {4, {"2", "three\r\nlines\r\nhere"}, "2,\"three\r\nlines\r\nhere\"", ""},
                                {7, {"3", "plain"}, "3,plain", ""},
                            }));
}

TEST(CsvReader, StrayQuoteInUnquotedField) {
  EXPECT_EQ(read_all("1,ab\"c,d\n2,ok,ok\n"), (Rows{{1, {"1", "ab\"c", "d"}, "1,ab\"c,d", "stray quote in field 2"},
                                                    {2, {"2", "ok", "ok"}, "2,ok,ok", ""}}));
}

TEST(CsvReader, CharacterAfterClosingQuote) {
  EXPECT_EQ(read_all("\"ab\"c,d\n2\n"),
            (Rows{{1, {"abc", "d"}, "\"ab\"c,d", "unexpected character after closing quote in field 1"},
                  {2, {"2"}, "2", ""}}));
  EXPECT_EQ(read_all("\"ab\" ,d\n"),
            (Rows{{1, {"ab ", "d"}, "\"ab\" ,d", "unexpected character after closing quote in field 1"}}));
}

TEST(CsvReader, UnterminatedQuoteAtEndRecoversAtNextLine) {
  EXPECT_EQ(read_all("1,\"abc\n2,x\n3,y\n"), (Rows{
                                                 {1, {}, "1,\"abc", "unterminated quoted field"},
                                                 {2, {"2", "x"}, "2,x", ""},
                                                 {3, {"3", "y"}, "3,y", ""},
                                             }));
  EXPECT_EQ(read_all("1,\"abc\r\n2,x"),
            (Rows{{1, {}, "1,\"abc", "unterminated quoted field"}, {2, {"2", "x"}, "2,x", ""}}));
  EXPECT_EQ(read_all("\""), (Rows{{1, {}, "\"", "unterminated quoted field"}}));
}

TEST(CsvReader, OverlongQuotedFieldRecoversAtNextLine) {
  std::string text = "1,\"open\n";
  for (int i = 0; i < 100; ++i) text += "2,filler line " + std::to_string(i) + "\n";
  const auto rows = read_all(text, 256);
  ASSERT_EQ(rows.size(), 101U);
  EXPECT_EQ(rows[0], (Row{1, {}, "1,\"open", "unterminated quoted field"}));
  EXPECT_EQ(rows[1], (Row{2, {"2", "filler line 0"}, "2,filler line 0", ""}));
  EXPECT_EQ(rows[100].line, 101);
}

TEST(CsvReader, MalformedQuoteSpanningLinesThenGoodRecord) {
  // The quote opened on line 1 closes on line 2, followed by junk: one malformed record over
  // two lines, then line 3 reads normally.
  const auto rows = read_all("1,\"abc\n2,\"x\"\n3,y\n");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[0].raw, "1,\"abc\n2,\"x\"");
  EXPECT_FALSE(rows[0].error.empty());
  EXPECT_EQ(rows[1], (Row{3, {"3", "y"}, "3,y", ""}));
}

TEST(CsvReader, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(read_all("\xEF\xBB\xBFid,x\n1,2\n"), (Rows{{1, {"id", "x"}, "id,x", ""}, {2, {"1", "2"}, "1,2", ""}}));
}

TEST(CsvReader, ReusesTheRecord) {
  std::istringstream in("a,b,c\nd\n\"e\",f\n");
  CsvReader reader(in);
  CsvRecord record;
  ASSERT_TRUE(reader.next(record));
  EXPECT_EQ(record.fields.size(), 3U);
  ASSERT_TRUE(reader.next(record));
  EXPECT_EQ(record.fields, (std::vector<std::string>{"d"}));
  ASSERT_TRUE(reader.next(record));
  EXPECT_EQ(record.fields, (std::vector<std::string>{"e", "f"}));
  EXPECT_TRUE(record.ok());
  EXPECT_FALSE(reader.next(record));
  EXPECT_FALSE(reader.next(record));
}

// Records straddling buffer refills must read the same as from one buffer: round-trip many
// random records (quotes, commas, CR, LF) through csv_line and the reader.
TEST(CsvReader, RandomRoundTripAcrossBufferBoundaries) {
  std::mt19937 rng(4180);
  const std::string alphabet = "ab,\"\r\n xyz0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> field_count(1, 6);
  std::uniform_int_distribution<int> field_length(0, 40);
  std::vector<std::vector<std::string>> expected;
  std::string text;
  std::int64_t line = 1;
  std::vector<std::int64_t> lines;
  for (int r = 0; r < 30'000; ++r) {
    std::vector<std::string> fields(static_cast<std::size_t>(field_count(rng)));
    for (auto& f : fields) {
      const int length = field_length(rng);
      for (int k = 0; k < length; ++k) f += alphabet[pick(rng)];
    }
    // A single empty field would be a blank line, which the reader skips.
    if (fields.size() == 1 && fields[0].empty()) fields[0] = "z";
    const std::string record = csv_line(fields);
    lines.push_back(line);
    line += static_cast<std::int64_t>(std::count(record.begin(), record.end(), '\n')) + 1;
    text += record;
    text += r % 2 == 0 ? "\n" : "\r\n";
    expected.push_back(fields);
  }
  ASSERT_GT(text.size(), std::size_t{1} << 19);  // several buffer refills
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  std::size_t i = 0;
  while (reader.next(record)) {
    ASSERT_LT(i, expected.size());
    ASSERT_TRUE(record.ok()) << record.error << " at " << record.line;
    ASSERT_EQ(record.fields, expected[i]) << "record " << i;
    ASSERT_EQ(record.line, lines[i]);
    ASSERT_EQ(record.raw, csv_line(expected[i]));
    ++i;
  }
  EXPECT_EQ(i, expected.size());
}

TEST(CsvWriter, Field) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(" spaced "), " spaced ");
  EXPECT_EQ(csv_field("ä€"), "ä€");
}

// Issue 11, item 5: text that a spreadsheet would run as a formula (OWASP, "CSV
// injection") gets a leading single quote; numbers are csv_field's business.
TEST(CsvWriter, TextFieldIsNeverAFormula) {
  EXPECT_EQ(csv_text_field("=HYPERLINK(\"http://evil.example\",\"click\")"),
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"");
  EXPECT_EQ(csv_text_field("@SUM(1+1)*cmd|' /C calc'!A0"), "'@SUM(1+1)*cmd|' /C calc'!A0");
  EXPECT_EQ(csv_text_field("+1"), "'+1");
  EXPECT_EQ(csv_text_field("-47.00"), "'-47.00");  // as text; an amount goes through csv_field
  EXPECT_EQ(csv_text_field("\tx"), "'\tx");
  EXPECT_EQ(csv_text_field("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_text_field("=a,b"), "\"'=a,b\"");
  // Only the first character matters; everything else is csv_field as before.
  EXPECT_EQ(csv_text_field(""), "");
  EXPECT_EQ(csv_text_field("plain"), "plain");
  EXPECT_EQ(csv_text_field("a=b+c"), "a=b+c");
  EXPECT_EQ(csv_text_field(" =x"), " =x");
  EXPECT_EQ(csv_text_field("'=x"), "'=x");
  EXPECT_EQ(csv_text_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_text_field("ä€"), "ä€");
  EXPECT_EQ(csv_field("-47.00"), "-47.00");
}

TEST(CsvWriter, Line) {
  EXPECT_EQ(csv_line({"a", "b,c", "", "d\"e"}), "a,\"b,c\",,\"d\"\"e\"");
  EXPECT_EQ(csv_line({}), "");
  EXPECT_EQ(csv_line({""}), "");
}

// The two dialects of a CSV for people: the same fields, the dialect's separator, decimal
// mark, line end and byte-order mark; quoting on the dialect's separator; the formula
// guard on text only.
TEST(CsvDialects, WriterInBothDialects) {
  struct Case {
    CsvDialect dialect;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {CsvDialect::standard, "a,\"b,c\",b;c,'=1+1,-47.00,12,\"\"\"q\"\"\"\n,\n"},
      {CsvDialect::excel_fi,
       "\xEF\xBB\xBF"
       "a;b,c;\"b;c\";'=1+1;-47,00;12;\"\"\"q\"\"\"\r\n;\r\n"},
  };
  for (const auto& c : cases) {
    CsvWriter csv(c.dialect);
    csv.text("a").text("b,c").text("b;c").text("=1+1").number("-47.00").number("12").text("\"q\"");
    csv.end_record();
    csv.text("").number("");
    csv.end_record();
    EXPECT_EQ(csv.bytes(), c.expected) << to_string(c.dialect);
  }
  EXPECT_EQ(parse_csv_dialect("standard"), CsvDialect::standard);
  EXPECT_EQ(parse_csv_dialect("excel-fi"), CsvDialect::excel_fi);
  EXPECT_EQ(parse_csv_dialect("excel"), std::nullopt);
  EXPECT_EQ(to_string(CsvDialect::excel_fi), "excel-fi");
}

TEST(Utf8, Valid) {
  const std::string cases[] = {
      "",
      "plain ascii, long enough to use the eight-byte path",
      "\xC3\xA4",          // ä
      "\xE2\x82\xAC",      // €
      "\xF0\x9F\x98\x80",  // U+1F600
      "\xF4\x8F\xBF\xBF",  // U+10FFFF
      "\xED\x9F\xBF",      // U+D7FF
      "\xEE\x80\x80",      // U+E000
      "Hämeenlinna 12345678 \xE2\x82\xAC",
      std::string("nul\0inside", 10),
  };
  for (const auto& text : cases) EXPECT_TRUE(is_valid_utf8(text)) << text;
}

TEST(Utf8, Invalid) {
  const std::string cases[] = {
      "\x80",  // lone continuation
      "\xBF",
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong
      "\xE0\x9F\xBF",      // overlong
      "\xF0\x80\x80\xAF",  // overlong
      "\xF0\x8F\xBF\xBF",  // overlong
      "\xED\xA0\x80",      // surrogate U+D800
      "\xED\xBF\xBF",      // surrogate U+DFFF
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",
      "\xFF",
      "\xFE",
      "\xC3",  // truncated
      "\xE2\x82",
      "\xF0\x9F\x98",
      "abcdefgh\xC3",  // truncated after the fast path
      "\xC3\x28",      // bad continuation
      "\xE2\x28\xA1",
      "\xE2\x82\x28",
      "\xF0\x9F\x98\x28",
      "H\xE4meenlinna",  // Latin-1
  };
  for (const auto& text : cases) EXPECT_FALSE(is_valid_utf8(text)) << text;
}

}  // namespace
}  // namespace costcover
