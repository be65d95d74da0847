// Numbers come from the YAML text, never through floating point; one agreement text can be
// checked against a loaded set (as the database load does).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "contract_files.hpp"
#include "contracts/loader.hpp"

namespace costcover::contracts {
namespace {

using testing::all_findings;
using testing::samples;

std::string agreement_text(const std::string& unit_price, const std::string& tier1, const std::string& tier2,
                           const std::string& fee, const std::string& charge) {
  return "agreement:\n"
         "  id: SA-NUM-2026\n"
         "  version: 1\n"
         "  client: STV\n"
         "  valid: {from: 2026-01-01, to: 2026-12-31}\n"
         "  billing: {buyer_reference: \"N-1\"}\n"
         "services:\n"
         "  - service: purchase-invoice\n"
         "    price: {unit_price: " +
         unit_price +
         "}\n"
         "  - service: payslip\n"
         "    price: {tiers: [{up_to: 10, unit_price: " +
         tier1 + "}, {unit_price: " + tier2 +
         "}]}\n"
         "  - fee: base-fee\n"
         "    amount: " +
         fee +
         "\n"
         "    per: month\n"
         "    service: account-management\n"
         "exceptions:\n"
         "  - {id: EX-1, kind: charge, service: purchase-invoice, date: 2026-03-01, amount: " +
         charge + ", description: One-off}\n";
}

TEST(ParseNumbers, DecimalsAreExact) {
  const LoadResult result =
      load_agreement_text("num.yaml", agreement_text("0.1", "0.2", "0.3", "0.1", "0.30"), samples());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  const model::Agreement& a = result.contracts.agreements.at(0);
  EXPECT_EQ(a.services[0].price.unit_price.units(), 100'000);
  EXPECT_EQ(a.services[1].price.tiers[0].unit_price.units(), 200'000);
  // 0.1 + 0.2 == 0.3 exactly: no binary floating point on the way.
  EXPECT_EQ(a.services[0].price.unit_price + a.services[1].price.tiers[0].unit_price,
            a.services[1].price.tiers[1].unit_price);
  EXPECT_EQ(a.fees[0].amount.cents(), 10);
  EXPECT_EQ(a.exceptions[0].amount->cents(), 30);
  EXPECT_EQ(a.fees[0].amount + a.fees[0].amount + a.fees[0].amount, *a.exceptions[0].amount);
}

TEST(ParseNumbers, QuotedAndPlainTextReadTheSame) {
  const LoadResult plain =
      load_agreement_text("a.yaml", agreement_text("4.2", "11.85", "10.9", "250", "1800.00"), samples());
  const LoadResult quoted = load_agreement_text(
      "b.yaml", agreement_text("\"4.2000\"", "'11.85'", "\"10.90\"", "\"250.00\"", "'1800'"), samples());
  ASSERT_TRUE(plain.ok()) << all_findings(plain);
  ASSERT_TRUE(quoted.ok()) << all_findings(quoted);
  const model::Agreement& x = plain.contracts.agreements.at(0);
  const model::Agreement& y = quoted.contracts.agreements.at(0);
  EXPECT_EQ(x.services[0].price.unit_price, y.services[0].price.unit_price);
  EXPECT_EQ(x.services[0].price.unit_price.units(), 4'200'000);
  EXPECT_EQ(x.services[1].price.tiers[1].unit_price, y.services[1].price.tiers[1].unit_price);
  EXPECT_EQ(x.fees[0].amount, y.fees[0].amount);
  EXPECT_EQ(x.fees[0].amount.cents(), 25'000);
  EXPECT_NE(x.content_hash, y.content_hash);
}

TEST(ParseNumbers, LargeAmountsAreExactOrRefused) {
  const LoadResult big =
      load_agreement_text("big.yaml", agreement_text("9999.9999", "0", "0", "999999999.99", "1"), samples());
  ASSERT_TRUE(big.ok()) << all_findings(big);
  EXPECT_EQ(big.contracts.agreements.at(0).fees[0].amount.cents(), 99'999'999'999);
  EXPECT_EQ(big.contracts.agreements.at(0).services[0].price.unit_price.units(), 9'999'999'900);

  // Beyond 64 bits: refused by the bound, like any amount above it (bounds_test.cpp).
  const LoadResult huge =
      load_agreement_text("huge.yaml", agreement_text("1", "0", "0", "92233720368547758.08", "1"), samples());
  ASSERT_EQ(huge.findings.size(), 1U) << all_findings(huge);
  EXPECT_EQ(huge.findings[0].to_string(),
            "huge.yaml:13:5: services[2].amount 92233720368547758.08 is above the largest allowed 1000000000.00");
}

struct BadNumber {
  const char* unit_price;
  const char* message;
};

TEST(ParseNumbers, RefusesWhatIsNotAPlainDecimal) {
  const BadNumber cases[] = {
      {"1e2", "services[0].price.unit_price \"1e2\" is not a number (expected e.g. 4.20)"},
      {".5", "services[0].price.unit_price \".5\" is not a number (expected e.g. 4.20)"},
      {"5.", "services[0].price.unit_price \"5.\" is not a number (expected e.g. 4.20)"},
      {"0x10", "services[0].price.unit_price \"0x10\" is not a number (expected e.g. 4.20)"},
      {"1.2.3", "services[0].price.unit_price \"1.2.3\" is not a number (expected e.g. 4.20)"},
      {".nan", "services[0].price.unit_price \".nan\" is not a number (expected e.g. 4.20)"},
      {"-0.01", "services[0].price.unit_price -0.01 is negative"},
      {"0.00001", "services[0].price.unit_price 0.00001 has more than 4 decimals"},
      {"[1]", "services[0].price.unit_price is a list; expected a number"},
  };
  for (const auto& c : cases) {
    const LoadResult result =
        load_agreement_text("x.yaml", agreement_text(c.unit_price, "1", "1", "1", "1"), samples());
    ASSERT_EQ(result.findings.size(), 1U) << c.unit_price << "\n" << all_findings(result);
    EXPECT_EQ(result.findings[0].message, c.message);
    EXPECT_EQ(result.findings[0].where.line, 9);
    EXPECT_EQ(result.findings[0].where.column, 13);
  }
}

TEST(ParseExceptions, SlaWaiverByTagsPeriodOrBoth) {
  const std::string text =
      "agreement:\n"
      "  id: SA-W-2026\n"
      "  version: 1\n"
      "  client: STV\n"
      "  valid: {from: 2026-01-01, to: 2026-12-31}\n"
      "  billing: {buyer_reference: \"W-1\"}\n"
      "services:\n"
      "  - service: purchase-invoice\n"
      "    price: {unit_price: 4.00}\n"
      "    performance: [{metric: processing_time, max_business_days: 5, target_share: 0.95}]\n"
      "exceptions:\n"
      "  - {id: EX-1, kind: sla_waiver, period: {from: 2026-12-15, to: 2026-12-31}, reason: Closing}\n"
      "  - {id: EX-2, kind: sla_waiver, tags: [late-from-client], reason: Late material}\n"
      "  - {id: EX-3, kind: sla_waiver, services: [purchase-invoice], tags: [late-from-client, year-end],\n"
      "     period: {from: 2026-06-01, to: 2026-06-30}, reason: Move}\n";
  const LoadResult result = load_agreement_text("w.yaml", text, samples());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  const auto& ex = result.contracts.agreements.at(0).exceptions;
  ASSERT_EQ(ex.size(), 3U);
  EXPECT_TRUE(ex[0].period.has_value());
  EXPECT_TRUE(ex[0].tags.empty());
  EXPECT_FALSE(ex[1].period.has_value());
  EXPECT_EQ(ex[1].tags, std::vector<std::string>{"late-from-client"});
  EXPECT_TRUE(ex[2].period.has_value());
  EXPECT_EQ(ex[2].tags, (std::vector<std::string>{"late-from-client", "year-end"}));
}

TEST(LoadAgreementText, ChecksReferencesAgainstTheSet) {
  std::string text = agreement_text("1", "1", "1", "1", "1");
  text.replace(text.find("client: STV"), 11, "client: ZZZ");
  const LoadResult result = load_agreement_text("x.yaml", text, samples());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].to_string(), "x.yaml:4:3: agreement.client \"ZZZ\" is not an agency in agencies.yaml");
}

TEST(LoadAgreementText, EmptyAndGarbage) {
  EXPECT_EQ(load_agreement_text("e.yaml", "", samples()).findings.at(0).to_string(), "e.yaml:1:1: the file is empty");
  EXPECT_EQ(load_agreement_text("e.yaml", "just text", samples()).findings.at(0).to_string(),
            "e.yaml:1:1: the file is \"just text\"; expected a mapping with agreement, services or exceptions");
  EXPECT_EQ(load_agreement_text("e.yaml", "a: [", samples()).findings.size(), 1U);
  // yaml-cpp's LoadAll loops forever on a stray comma (jbeder/yaml-cpp#1040); the loader
  // must not.
  EXPECT_EQ(load_agreement_text("e.yaml", ",", samples()).findings.size(), 1U);
  EXPECT_EQ(load_agreement_text("e.yaml", "agreement: {}\n,\n", samples()).findings.size(), 1U);
}

TEST(LoadDirectory, MissingFolderAndFiles) {
  const LoadResult missing = load_directory("/nonexistent/contracts");
  ASSERT_EQ(missing.findings.size(), 1U);
  EXPECT_EQ(missing.findings[0].to_string(), "/nonexistent/contracts: is not a directory");

  // A folder with only a misnamed agreement: both required files are reported, and the
  // .yml file too (it would otherwise be skipped without a word).
  const std::filesystem::path dir = std::filesystem::path(COSTCOVER_BINARY_DIR) / "contracts_test_dir";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "agreements");
  std::ofstream(dir / "agreements" / "ktl.yml") << "agreement: {}\n";
  const LoadResult result = load_directory(dir.string() + "/");
  std::vector<std::string> got;
  for (const auto& finding : result.findings) got.push_back(finding.to_string());
  const std::string base = dir.generic_string();
  EXPECT_EQ(got, (std::vector<std::string>{
                     base + "/agencies.yaml: file not found (a contracts folder needs it)",
                     base + "/agreements/ktl.yml: has the extension .yml; name it .yaml",
                     base + "/catalog.yaml: file not found (a contracts folder needs it)",
                 }));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace costcover::contracts
