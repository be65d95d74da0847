// One line of the reject file (ingest/reject_file.hpp): line,reason_code,reason,raw with
// RFC 4180 quoting, and text fields that a spreadsheet would run as formulas written with
// a single quote before them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/reject_file.hpp"

namespace costcover::ingest {
namespace {

struct Case {
  std::int64_t line;
  std::string code;
  std::string reason;
  std::string raw;
  std::string expected;
};

TEST(RejectFile, LinesAreQuotedAndFormulasNeutralised) {
  const std::vector<Case> cases = {
      {2, "bad_quantity", "quantity \"0\" is not 1..1000000000", "A-1,KTL,x,,,0,,",
       "2,bad_quantity,\"quantity \"\"0\"\" is not 1..1000000000\",\"A-1,KTL,x,,,0,,\"\n"},
      {7, "column_count", "3 columns", "=HYPERLINK(\"x\"),a,b",
       "7,column_count,3 columns,\"'=HYPERLINK(\"\"x\"\"),a,b\"\n"},
      {9, "malformed_csv", "@SUM", "+1", "9,malformed_csv,'@SUM,'+1\n"},
      {12, "missing_txn_id", "-", "", "12,missing_txn_id,'-,\n"},
  };
  for (const Case& c : cases) {
    std::string out;
    append_reject_line(out, c.line, c.code, c.reason, c.raw);
    EXPECT_EQ(out, c.expected) << c.raw;
  }
  EXPECT_EQ(kRejectFileHeader, "line,reason_code,reason,raw\n");
}

}  // namespace
}  // namespace costcover::ingest
