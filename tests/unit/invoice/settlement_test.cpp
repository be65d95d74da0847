// The settlement's documents (invoice/settlement.hpp), table-driven: one agency's
// settlement lines of a year split by VAT group, and per group a credit note when its lines
// sum to a credit, an invoice otherwise (a sum of 0.00 included). Each document is written
// as "GROUP KIND net N [reason]" and each sum is worked out in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "invoice/settlement.hpp"
#include "test_values.hpp"

namespace costcover::invoice {
namespace {

using testing::kO;
using testing::kS;

Line settlement(const char* service, const char* amount, const model::Vat& vat) {
  Line out;
  out.kind = model::LineKind::settlement;
  out.service = service;
  out.description = std::string(service) + " settlement";
  out.quantity = 1;
  out.unit_price = Decimal::parse(amount);
  out.exact_amount = out.unit_price;
  out.amount = Money::parse(amount);
  out.vat = vat;
  out.price_source = "settlement 2026";
  return out;
}

std::string describe(const Invoice& document) {
  std::string out = to_string(document.group) + " " + to_string(document.kind) + " net " + document.net.to_string();
  if (!document.credit_reason.empty()) out += " [" + document.credit_reason + "]";
  return out;
}

struct Case {
  const char* name;
  std::vector<Line> lines;
  std::vector<std::string> documents;
};

TEST(SettlementDocuments, ACreditPerAgencyAndVatGroupIsACreditNote) {
  const std::string reason = " [Cost-covering settlement of 2026: the surplus returned]";
  const std::vector<Case> cases = {
      // a surplus returned: -120.00 < 0, a credit note
      {"credit", {settlement("payment", "-120.00", kO)}, {"O credit_note net -120.00" + reason}},
      // a deficit charged: +80.00, an invoice
      {"charge", {settlement("payment", "80.00", kO)}, {"O invoice net 80.00"}},
      // one group of both signs: -120.00 + 80.00 = -40.00, a credit note holding both lines
      {"mixed_credit",
       {settlement("payment", "-120.00", kO), settlement("payslip", "80.00", kO)},
       {"O credit_note net -40.00" + reason}},
      // -80.00 + 120.00 = +40.00: an invoice, its credit line included
      {"mixed_charge",
       {settlement("payment", "-80.00", kO), settlement("payslip", "120.00", kO)},
       {"O invoice net 40.00"}},
      // -50.00 + 50.00 = 0.00: no credit, so an invoice
      {"zero", {settlement("payment", "-50.00", kO), settlement("payslip", "50.00", kO)}, {"O invoice net 0.00"}},
      // each VAT group on its own: O -120.00 a credit note, VAT +30.00 an invoice
      {"per_group",
       {settlement("payment", "-120.00", kO), settlement("archiving", "30.00", kS)},
       {"O credit_note net -120.00" + reason, "VAT invoice net 30.00"}},
      // O +10.00 an invoice, VAT -30.00 a credit note (its VAT -7.65 on the net)
      {"per_group_other_way",
       {settlement("payment", "10.00", kO), settlement("archiving", "-30.00", kS)},
       {"O invoice net 10.00", "VAT credit_note net -30.00" + reason}},
  };
  InvoiceHeader header;
  header.agency = "KTL";
  header.period = Month(2026, 12);
  for (const auto& c : cases) {
    std::vector<std::string> got;
    for (const auto& document : settlement_documents(header, 2026, c.lines, "en")) {
      got.push_back(describe(document));
      EXPECT_EQ(document.settles_year, 2026) << c.name;
      EXPECT_FALSE(document.credited_invoice_id.has_value()) << c.name;  // a settlement credits no invoice
      EXPECT_EQ(document.header.period, Month(2026, 12)) << c.name;
    }
    EXPECT_EQ(got, c.documents) << c.name;
  }
}

TEST(SettlementDocuments, TheCreditReasonIsInTheAgencysLanguage) {
  EXPECT_EQ(settlement_credit_reason(2026, "fi"), "Kustannusvastaavuuden tasaus 2026: ylijäämä palautettu");
  EXPECT_EQ(settlement_credit_reason(2026, "sv"), "Kostnadsmotsvarande avräkning 2026: överskottet återbetalat");
  EXPECT_EQ(settlement_credit_reason(2026, "en"), "Cost-covering settlement of 2026: the surplus returned");
  InvoiceHeader header;
  header.agency = "KTL";
  header.period = Month(2026, 12);
  const auto documents = settlement_documents(header, 2026, {settlement("payment", "-120.00", kO)}, "fi");
  ASSERT_EQ(documents.size(), 1U);
  EXPECT_EQ(documents[0].credit_reason, "Kustannusvastaavuuden tasaus 2026: ylijäämä palautettu");
}

TEST(SettlementDocuments, KindFollowsTheSignOfTheNet) {
  EXPECT_EQ(settlement_kind(Money::parse("-0.01")), InvoiceKind::credit_note);
  EXPECT_EQ(settlement_kind(Money()), InvoiceKind::invoice);
  EXPECT_EQ(settlement_kind(Money::parse("0.01")), InvoiceKind::invoice);
}

TEST(SettlementDocuments, LinesKeepTheirSigns) {
  InvoiceHeader header;
  header.agency = "KTL";
  header.period = Month(2026, 12);
  const auto documents = settlement_documents(header, 2026, {settlement("payment", "-120.00", kO)}, "en");
  ASSERT_EQ(documents.size(), 1U);
  ASSERT_EQ(documents[0].lines.size(), 1U);
  EXPECT_EQ(documents[0].lines[0].amount, Money::parse("-120.00"));  // as `costcover credit` stores them
  EXPECT_EQ(documents[0].gross, Money::parse("-120.00"));
}

}  // namespace
}  // namespace costcover::invoice
