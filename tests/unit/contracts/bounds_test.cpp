// The bounds the check keeps so that nothing later steps compute from the contracts can
// overflow (contracts/README.md, "Bounds"): every bounded field of an agreement at its
// largest allowed value loads exactly; one step above it, and far beyond 64 bits, it is
// refused with the same message naming the bound.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "contract_files.hpp"
#include "contracts/loader.hpp"
#include "core/int128.hpp"

namespace costcover::contracts {
namespace {

using testing::all_findings;
using testing::samples;

// An agreement with every bounded number as a $name placeholder.
constexpr const char* kTemplate =
    "agreement:\n"
    "  id: SA-MAX-2026\n"
    "  version: $version\n"
    "  client: STV\n"
    "  valid: {from: 2026-01-01, to: 2026-12-31}\n"
    "  billing: {payment_terms_days: $terms, buyer_reference: \"M-1\"}\n"
    "services:\n"
    "  - service: purchase-invoice\n"
    "    price: {unit_price: $price}\n"
    "    volume: {forecast: $forecast, lower_limit: $lower, upper_limit: $upper, over_limit: {unit_price: $over}}\n"
    "    performance:\n"
    "      - {metric: processing_time, max_business_days: $days, target_share: $share, credit_percent: $credit}\n"
    "  - service: payslip\n"
    "    price: {tiers: [{up_to: $up_to, unit_price: $tier}, {unit_price: 1}]}\n"
    "  - fee: base-fee\n"
    "    amount: $fee\n"
    "    per: month\n"
    "    service: account-management\n"
    "exceptions:\n"
    "  - {id: EX-1, kind: charge, service: purchase-invoice, date: 2026-03-01, amount: $charge, description: One-off}\n"
    "  - {id: EX-2, kind: price, services: [payslip], period: {from: 2026-04-01, to: 2026-04-30},\n"
    "     unit_price: $special, reason: Migration}\n";

using Values = std::map<std::string, std::string>;

const Values kLargest = {
    {"version", "9999"},      {"terms", "365"},         {"price", "10000.0000"},   {"forecast", "100000000"},
    {"lower", "100000000"},   {"upper", "100000000"},   {"over", "10000"},         {"days", "365"},
    {"share", "1.0000"},      {"credit", "100.00"},     {"up_to", "100000000"},    {"tier", "10000"},
    {"fee", "1000000000.00"}, {"charge", "1000000000"}, {"special", "10000.0000"},
};

std::string agreement_with(Values values) {
  std::string text = kTemplate;
  for (const auto& [name, value] : values) {
    const std::string placeholder = "$" + name;
    const auto at = text.find(placeholder);
    if (at == std::string::npos) throw std::logic_error("no placeholder " + placeholder);
    text.replace(at, placeholder.size(), value);
  }
  return text;
}

TEST(Bounds, TheLargestAllowedValuesLoadExactly) {
  const LoadResult result = load_agreement_text("max.yaml", agreement_with(kLargest), samples());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  const model::Agreement& a = result.contracts.agreements.at(0);
  EXPECT_EQ(a.version, 9999);
  EXPECT_EQ(a.billing.payment_terms_days, 365);
  EXPECT_EQ(a.services[0].price.unit_price.units(), 10'000'000'000);  // 10 000 euros in millionths
  EXPECT_EQ(a.services[0].volume.forecast, 100'000'000);
  EXPECT_EQ(a.services[0].volume.lower_limit, 100'000'000);
  EXPECT_EQ(a.services[0].volume.upper_limit, 100'000'000);
  EXPECT_EQ(a.services[0].volume.over_limit_price.units(), 10'000'000'000);
  EXPECT_EQ(a.services[1].price.tiers[0].up_to, 100'000'000);
  EXPECT_EQ(a.fees[0].amount.cents(), 100'000'000'000);  // 1 000 000 000 euros in cents
  EXPECT_EQ(a.exceptions[0].amount->cents(), 100'000'000'000);
  EXPECT_EQ(a.exceptions[1].unit_price->units(), 10'000'000'000);
  // What the bounds are for: the largest true-up, lower_limit x unit price = 10^12 euros,
  // is 10^18 millionths (rating's exact amount, an int64: at most 9.2 x 10^18), and a
  // year of the largest monthly fee fits in cents many times over.
  const Int128 exact = Int128{*a.services[0].volume.lower_limit} * a.services[0].price.unit_price.units();
  EXPECT_TRUE(exact == Int128{1'000'000'000'000'000'000});
  EXPECT_EQ(multiply_round(*a.services[0].volume.lower_limit, a.services[0].price.unit_price).cents(),
            100'000'000'000'000);
  EXPECT_EQ((a.fees[0].amount * 12).cents(), 1'200'000'000'000);
}

struct Breach {
  const char* name;   // the placeholder
  const char* value;  // above its bound
  const char* message;
};

TEST(Bounds, AValueAboveItsBoundIsRefusedWithTheBound) {
  const Breach cases[] = {
      {"version", "10000", "agreement.version 10000 is above the largest allowed 9999"},
      {"terms", "366", "agreement.billing.payment_terms_days 366 is above the largest allowed 365"},
      {"price", "10000.0001", "services[0].price.unit_price 10000.0001 is above the largest allowed 10000"},
      {"price", "92233720368547.758071", "services[0].price.unit_price 92233720368547.758071 has more than 4 decimals"},
      {"price", "99999999999999999999",
       "services[0].price.unit_price 99999999999999999999 is above the largest allowed 10000"},
      {"forecast", "100000001", "services[0].volume.forecast 100000001 is above the largest allowed 100000000"},
      {"forecast", "99999999999999999999999",
       "services[0].volume.forecast 99999999999999999999999 is above the largest allowed 100000000"},
      {"lower", "100000001", "services[0].volume.lower_limit 100000001 is above the largest allowed 100000000"},
      {"upper", "9223372036854775808",
       "services[0].volume.upper_limit 9223372036854775808 is above the largest allowed 100000000"},
      {"over", "10000.01", "services[0].volume.over_limit.unit_price 10000.01 is above the largest allowed 10000"},
      {"days", "366", "services[0].performance[0].max_business_days 366 is above the largest allowed 365"},
      {"share", "1.0001", "services[0].performance[0].target_share 1.0001 is above the largest allowed 1"},
      {"credit", "100.01", "services[0].performance[0].credit_percent 100.01 is above the largest allowed 100"},
      {"up_to", "100000001", "services[1].price.tiers[0].up_to 100000001 is above the largest allowed 100000000"},
      {"tier", "10001", "services[1].price.tiers[0].unit_price 10001 is above the largest allowed 10000"},
      {"fee", "1000000000.01", "services[2].amount 1000000000.01 is above the largest allowed 1000000000.00"},
      {"fee", "9999999999999999.99",
       "services[2].amount 9999999999999999.99 is above the largest allowed 1000000000.00"},
      {"fee", "92233720368547758.08",
       "services[2].amount 92233720368547758.08 is above the largest allowed 1000000000.00"},
      {"charge", "1000000001", "exceptions[0].amount 1000000001 is above the largest allowed 1000000000.00"},
      {"special", "10000.0001", "exceptions[1].unit_price 10000.0001 is above the largest allowed 10000"},
  };
  for (const auto& c : cases) {
    Values values = kLargest;
    values[c.name] = c.value;
    const LoadResult result = load_agreement_text("x.yaml", agreement_with(values), samples());
    ASSERT_EQ(result.findings.size(), 1U) << c.name << " " << c.value << "\n" << all_findings(result);
    EXPECT_EQ(result.findings[0].message, c.message);
  }
}

TEST(Bounds, ANumberTooLongToShowIsCut) {
  Values values = kLargest;
  values["fee"] = std::string(100, '9');
  const LoadResult result = load_agreement_text("x.yaml", agreement_with(values), samples());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].message,
            "services[2].amount " + std::string(40, '9') + "... is above the largest allowed 1000000000.00");
}

TEST(Bounds, BelowTheSmallestAllowed) {
  Values values = kLargest;
  values["version"] = "0";
  values["up_to"] = "0";
  const LoadResult result = load_agreement_text("x.yaml", agreement_with(values), samples());
  ASSERT_EQ(result.findings.size(), 2U) << all_findings(result);
  EXPECT_EQ(result.findings[0].message, "agreement.version 0 is below the smallest allowed 1");
  EXPECT_EQ(result.findings[1].message, "services[1].price.tiers[0].up_to 0 is below the smallest allowed 1");
}

// Months run 1900-01..9999-12 and a yearly window twelve months from an agreement's first
// month: a day outside 1900-01-01..9998-12-31 is refused (a valid range from 1899 made the
// check itself fail on the price coverage, "invalid month 1899-1").
TEST(Bounds, DaysLieWhereMonthsAndYearlyWindowsCanBeCounted) {
  struct Case {
    const char* valid;
    const char* message;
  };
  const Case cases[] = {
      {"{from: 1899-12-31, to: 2026-12-31}",
       "agreement.valid.from 1899-12-31 is below the smallest allowed 1900-01-01"},
      {"{from: 2026-01-01, to: 9999-01-01}", "agreement.valid.to 9999-01-01 is above the largest allowed 9998-12-31"},
      {"{from: 1400-01-01, to: 9999-12-31}",
       "agreement.valid.from 1400-01-01 is below the smallest allowed 1900-01-01\n"
       "agreement.valid.to 9999-12-31 is above the largest allowed 9998-12-31"},
  };
  for (const auto& c : cases) {
    std::string text = agreement_with(kLargest);
    const std::string valid = "{from: 2026-01-01, to: 2026-12-31}";
    text.replace(text.find(valid), valid.size(), c.valid);
    const LoadResult result = load_agreement_text("x.yaml", text, samples());
    std::string got;
    for (const auto& finding : result.findings) got += (got.empty() ? "" : "\n") + finding.message;
    EXPECT_EQ(got, c.message);
  }
  std::string text = agreement_with(kLargest);
  text.replace(text.find("to: 2026-12-31}"), 15, "to: 9998-12-31}");
  EXPECT_TRUE(load_agreement_text("x.yaml", text, samples()).ok());
}

}  // namespace
}  // namespace costcover::contracts
