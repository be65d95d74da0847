// The cost ledger rows' rules (costing/ledger.hpp, docs/costing-jobs.md "costs import"):
// one case per reject reason and its edges, each row written as its four fields, and the
// whole-file check (lines, raw text, totals, the header).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "costing/ledger.hpp"

namespace costcover::costing {
namespace {

const std::set<std::string> kCentres = {"AP", "ICT"};

struct RowCase {
  const char* name;
  std::vector<std::string> fields;
  std::string raw;          // "" : the fields joined by commas
  std::string field;        // "" : accepted
  std::string reason_code;  // or the accepted amount
  std::string reason;
};

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

TEST(LedgerRow, EachRuleAndTheFirstFieldAtFaultDecides) {
  const std::vector<RowCase> cases = {
      {"a credit without decimals", {"2026-03", "ICT", "4610 IT services", "-1250"}, "", "", "-1250.00", ""},
      {"a plus sign and one decimal", {"2026-12", "AP", "4100", "+0.5"}, "", "", "0.50", ""},
      {"bytes that are not UTF-8",
       {"2026-03", "AP", "4100 \xff", "5.00"},
       "",
       "-",
       "invalid_utf8",
       "the row is not valid UTF-8"},
      {"three fields",
       {"2026-03", "AP", "5.00"},
       "",
       "-",
       "column_count",
       "expected 4 fields (period,cost_centre,account,amount), got 3"},
      {"five fields (a decimal comma)",
       {"2026-02", "ICT", "4600", "12", "5"},
       "",
       "-",
       "column_count",
       "expected 4 fields (period,cost_centre,account,amount), got 5"},
      {"a one-digit month",
       {"2026-1", "AP", "4100", "1"},
       "",
       "period",
       "bad_period",
       "period \"2026-1\" is not a month YYYY-MM"},
      {"month 00",
       {"2026-00", "AP", "4100", "1"},
       "",
       "period",
       "bad_period",
       "period \"2026-00\" is not a month YYYY-MM"},
      {"month 13",
       {"2026-13", "AP", "4100", "1"},
       "",
       "period",
       "bad_period",
       "period \"2026-13\" is not a month YYYY-MM"},
      {"a slash",
       {"2026/01", "AP", "4100", "1"},
       "",
       "period",
       "bad_period",
       "period \"2026/01\" is not a month YYYY-MM"},
      {"the year before, and a bad centre and amount: the period decides",
       {"2025-12", "XX", "4100", "x"},
       "",
       "period",
       "period_outside_year",
       "period 2025-12 is outside the year 2026"},
      {"a centre of no cost model",
       {"2026-02", "XYZ", "4100", "1.00"},
       "",
       "cost_centre",
       "unknown_cost_centre",
       "cost centre \"XYZ\" is not in the cost model 2026 (known: AP, ICT)"},
      {"a centre in the wrong case",
       {"2026-02", "ap", "4100", "1.00"},
       "",
       "cost_centre",
       "unknown_cost_centre",
       "cost centre \"ap\" is not in the cost model 2026 (known: AP, ICT)"},
      {"an empty account", {"2026-03", "AP", "", "5.00"}, "", "account", "empty_account", "account is empty"},
      {"three decimals",
       {"2026-02", "ICT", "4600", "12.345"},
       "",
       "amount",
       "too_many_decimals",
       "amount \"12.345\" has more than 2 decimals"},
      {"a tenth of a cent",
       {"2026-01", "AP", "4100", "0.001"},
       "",
       "amount",
       "too_many_decimals",
       "amount \"0.001\" has more than 2 decimals"},
      {"a point without decimals",
       {"2026-01", "AP", "4100", "1."},
       "",
       "amount",
       "bad_amount",
       "amount \"1.\" is not a number of euros like -1234.50"},
      {"a thousands space",
       {"2026-01", "AP", "4100", "1 000.00"},
       "",
       "amount",
       "bad_amount",
       "amount \"1 000.00\" is not a number of euros like -1234.50"},
      {"letters",
       {"2026-01", "AP", "4100", "abc"},
       "",
       "amount",
       "bad_amount",
       "amount \"abc\" is not a number of euros like -1234.50"},
      {"empty",
       {"2026-01", "AP", "4100", ""},
       "",
       "amount",
       "bad_amount",
       "amount \"\" is not a number of euros like -1234.50"},
      {"beyond the range of cents",
       {"2026-01", "AP", "4100", "99999999999999999999"},
       "",
       "amount",
       "bad_amount",
       "amount \"99999999999999999999\" is not a number of euros like -1234.50"},
  };
  for (const RowCase& c : cases) {
    SCOPED_TRACE(c.name);
    const LedgerRowCheck check = check_ledger_row(c.fields, c.raw.empty() ? joined(c.fields) : c.raw, 2026, kCentres);
    if (c.field.empty()) {
      ASSERT_TRUE(check.row.has_value()) << check.reject.reason;
      EXPECT_EQ(check.row->period, c.fields[0]);
      EXPECT_EQ(check.row->cost_centre, c.fields[1]);
      EXPECT_EQ(check.row->account, c.fields[2]);
      EXPECT_EQ(check.row->amount, Money::parse(c.reason_code));
      continue;
    }
    ASSERT_FALSE(check.row.has_value());
    EXPECT_EQ(check.reject.field, c.field);
    EXPECT_EQ(check.reject.reason_code, c.reason_code);
    EXPECT_EQ(check.reject.reason, c.reason);
  }
}

TEST(LedgerRows, LinesRawTextAndTheTotalOfTheAcceptedRows) {
  // Lines: 1 header, 2 accepted 1000.00, 3 malformed (a stray quote), 4 blank (skipped but
  // counted), 5 invalid UTF-8 (raw kept as \xFF), 6 accepted -250.50.
  // Total: 1000.00 - 250.50 = 749.50; read 4 = accepted 2 + rejected 2.
  const std::string bytes =
      "period,cost_centre,account,amount\n"
      "2026-01,AP,4100 Salaries,1000.00\n"
      "2026-01,A\"P,4100,1.00\n"
      "\n"
      "2026-03,AP,4100 Salaries \xff,5.00\n"
      "2026-03,ICT,4100 Salaries,-250.50\n";
  const CheckedLedger checked = check_ledger_rows(bytes, 2026, kCentres);
  EXPECT_EQ(checked.rows_read, 4);
  ASSERT_EQ(checked.rows.size(), 2U);
  EXPECT_EQ(checked.rows[0].first, 2);
  EXPECT_EQ(checked.rows[1].first, 6);
  EXPECT_EQ(checked.rows[1].second.cost_centre, "ICT");
  EXPECT_EQ(checked.total, Money::parse("749.50"));
  ASSERT_EQ(checked.rejects.size(), 2U);
  EXPECT_EQ(checked.rejects[0].line, 3);
  EXPECT_EQ(checked.rejects[0].field, "-");
  EXPECT_EQ(checked.rejects[0].reason_code, "malformed_csv");
  EXPECT_FALSE(checked.rejects[0].reason.empty());
  EXPECT_EQ(checked.rejects[0].raw, "2026-01,A\"P,4100,1.00");
  EXPECT_EQ(checked.rejects[1].line, 5);
  EXPECT_EQ(checked.rejects[1].reason_code, "invalid_utf8");
  EXPECT_EQ(checked.rejects[1].raw, "2026-03,AP,4100 Salaries \\xFF,5.00");
}

TEST(LedgerRows, AHeaderOnlyFileIsAnEmptyLedger) {
  const CheckedLedger checked = check_ledger_rows("period,cost_centre,account,amount\n", 2026, kCentres);
  EXPECT_EQ(checked.rows_read, 0);
  EXPECT_TRUE(checked.rows.empty());
  EXPECT_TRUE(checked.rejects.empty());
  EXPECT_EQ(checked.total, Money());
}

TEST(LedgerHeader, TheHeaderWithOrWithoutAByteOrderMark) {
  EXPECT_NO_THROW(check_ledger_header("l.csv", "period,cost_centre,account,amount\n2026-01,AP,4100,1\n"));
  EXPECT_NO_THROW(check_ledger_header("l.csv", "\xEF\xBB\xBFperiod,cost_centre,account,amount\r\n"));
  const auto message = [](std::string_view bytes) {
    try {
      check_ledger_header("l.csv", bytes);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(""), "l.csv:1: the file is empty; expected the header period,cost_centre,account,amount");
  EXPECT_EQ(message("\n\nperiod;cost_centre;account;amount\n"),
            "l.csv:3: header \"period;cost_centre;account;amount\" is not the cost ledger header "
            "\"period,cost_centre,account,amount\"");
  EXPECT_EQ(message("Period,cost_centre,account,amount\n"),
            "l.csv:1: header \"Period,cost_centre,account,amount\" is not the cost ledger header "
            "\"period,cost_centre,account,amount\"");
}

TEST(LedgerRow, CostCentreIdsOfTheModel) {
  model::CostModel model;
  model.centres.push_back(model::CostCentre{"PREMISES", model::CentreKind::support, "", {}, {}, {}});
  model.centres.push_back(model::CostCentre{"AP", model::CentreKind::production, "", {}, {}, {}});
  EXPECT_EQ(cost_centre_ids(model), (std::set<std::string>{"AP", "PREMISES"}));
}

}  // namespace
}  // namespace costcover::costing
