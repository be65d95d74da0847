// The header rule (invoice/header.hpp), one case per branch: which version's buyer
// reference and payment terms an agency's invoices carry.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "invoice/header.hpp"

namespace costcover::invoice {
namespace {

model::Agreement version(const std::string& id, int number, const char* from, const char* to) {
  model::Agreement a;
  a.id = id;
  a.version = number;
  a.client = "KTL";
  a.valid = {parse_date(from), parse_date(to)};
  a.billing.buyer_reference = id + "/" + std::to_string(number);
  a.billing.payment_terms_days = 10 + number;
  return a;
}

struct Case {
  const char* name;
  std::vector<model::Agreement> versions;
  DateRange period;
  const char* expected;  // buyer reference, "" for none
};

DateRange month(const char* from, const char* to) { return {parse_date(from), parse_date(to)}; }

TEST(HeaderAgreement, EveryBranchOfTheRule) {
  const std::vector<Case> cases = {
      {"one version in force",
       {version("SA-A", 1, "2027-01-01", "2027-12-31")},
       month("2027-03-01", "2027-03-31"),
       "SA-A/1"},
      {"an amendment from mid-month: in force on the last day",
       {version("SA-A", 1, "2027-01-01", "2027-12-31"), version("SA-A", 2, "2027-03-15", "2027-12-31")},
       month("2027-03-01", "2027-03-31"),
       "SA-A/2"},
      {"an amendment from the next month is not yet in force",
       {version("SA-A", 1, "2027-01-01", "2027-12-31"), version("SA-A", 2, "2027-04-01", "2027-12-31")},
       month("2027-03-01", "2027-03-31"),
       "SA-A/1"},
      {"an agreement ending mid-month: its last day is the latest with one in force",
       {version("SA-A", 1, "2027-01-01", "2027-03-10")},
       month("2027-03-01", "2027-03-31"),
       "SA-A/1"},
      {"two agreements in force on the last day: the lowest id",
       {version("SA-B", 1, "2027-01-01", "2027-12-31"), version("SA-A", 1, "2027-03-01", "2027-12-31")},
       month("2027-03-01", "2027-03-31"),
       "SA-A/1"},
      {"the one in force later in the month wins over the lower id",
       {version("SA-A", 1, "2027-01-01", "2027-03-10"), version("SA-B", 1, "2027-03-20", "2027-12-31")},
       month("2027-03-01", "2027-03-31"),
       "SA-B/1"},
      {"none in force in the month: the one that ended last before it",
       {version("SA-A", 1, "2026-01-01", "2026-06-30"), version("SA-B", 1, "2026-01-01", "2026-11-30")},
       month("2027-03-01", "2027-03-31"),
       "SA-B/1"},
      {"ended on the same day before: the higher version",
       {version("SA-A", 1, "2026-01-01", "2026-12-31"), version("SA-A", 2, "2026-07-01", "2026-12-31")},
       month("2027-03-01", "2027-03-31"),
       "SA-A/2"},
      {"only later agreements: none",
       {version("SA-A", 1, "2027-06-01", "2027-12-31")},
       month("2027-03-01", "2027-03-31"),
       ""},
      {"a settled year: the version in force latest in the year",
       {version("SA-A", 1, "2026-01-01", "2026-06-30"), version("SA-B", 1, "2026-09-01", "2027-12-31")},
       month("2026-01-01", "2026-12-31"),
       "SA-B/1"},
  };
  for (const auto& c : cases) {
    const model::Agreement* found = header_agreement(c.versions, c.period);
    EXPECT_EQ(found == nullptr ? std::string() : found->billing.buyer_reference, c.expected) << c.name;
  }
}

TEST(HeaderFor, TakesTheHeaderFieldsOrTheDefaults) {
  const std::vector<model::Agreement> versions = {version("SA-A", 2, "2027-01-01", "2027-12-31")};
  const InvoiceHeader header = header_for("KTL", Month(2027, 3), versions, Month(2027, 3).range());
  EXPECT_EQ(header.agency, "KTL");
  EXPECT_EQ(header.period, Month(2027, 3));
  EXPECT_EQ(header.agreement_id, "SA-A");
  EXPECT_EQ(header.agreement_version, 2);
  EXPECT_EQ(header.buyer_reference, "SA-A/2");
  EXPECT_EQ(header.payment_terms_days, 12);
  const InvoiceHeader none = header_for("KTL", Month(2026, 3), versions, Month(2026, 3).range());
  EXPECT_EQ(none.agreement_id, "");
  EXPECT_EQ(none.buyer_reference, "");
  EXPECT_EQ(none.payment_terms_days, model::kDefaultPaymentTermsDays);
}

}  // namespace
}  // namespace costcover::invoice
