// Credit notes (invoice/credit_note.hpp): who may be credited (one case per rule of
// check_creditable, with its message), and what the note holds: every line negated but
// its unit price, VAT computed again on the negated sums (so each total is the invoice's
// own negated, half cents included), lineage negated, pointing at the credited invoice.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "invoice/credit_note.hpp"

namespace costcover::invoice {
namespace {

using model::LineKind;

Decimal dec(const char* text) { return Decimal::parse(text); }
Money eur(const char* text) { return Money::parse(text); }

const model::Vat kS{model::VatCategory::standard, Decimal::parse("25.5"), ""};

Line line(LineKind kind, std::int64_t quantity, const char* unit_price, const char* amount) {
  Line out;
  out.kind = kind;
  out.service = "payslip";
  out.description = "Payslip " + std::to_string(quantity);
  out.quantity = quantity;
  out.unit_price = dec(unit_price);
  out.exact_amount = dec(amount);
  out.amount = eur(amount);
  out.vat = kS;
  out.agreement_id = "SA-KTL";
  out.agreement_version = 2;
  out.price_source = "agreement";
  out.days = DateRange{parse_date("2027-03-01"), parse_date("2027-03-31")};
  return out;
}

// Final invoice 2027-000003 (id 7) of KTL for 2027-03, group VAT:
//   1  usage      10 x 11.85 = 118.50  (lineage: 4 units on 2 Mar, 6 on 3 Mar)
//   2  correction -1 x 11.85 = -11.85  (of usage, correcting invoice 5)
// net 106.65; VAT 25.5 % of 106.65 = 27.19575 -> 27.20; gross 133.85.
Document final_invoice() {
  Document document;
  document.id = 7;
  document.status = InvoiceStatus::final;
  document.number = "2027-000003";
  document.issue_date = parse_date("2027-04-03");
  document.due_date = parse_date("2027-04-17");
  Invoice& invoice = document.invoice;
  invoice.header = InvoiceHeader{"KTL", Month(2027, 3), "SA-KTL", 2, 14, "KTL-17"};
  invoice.group = VatGroup::subject;
  Line usage = line(LineKind::usage, 10, "11.85", "118.50");
  usage.volumes = {{101, "payslip", parse_date("2027-03-02"), "", 1, 4},
                   {102, "payslip", parse_date("2027-03-03"), "urgent", 2, 6}};
  Line correction = line(LineKind::correction, -1, "11.85", "-11.85");
  correction.corrected_kind = LineKind::usage;
  correction.corrects_invoice_id = 5;
  invoice.lines = {usage, correction};
  compute_totals(invoice);
  return document;
}

TEST(CreditNote, NegatesEveryLineButItsUnitPrice) {
  const Document original = final_invoice();
  ASSERT_EQ(original.invoice.net, eur("106.65"));
  ASSERT_EQ(original.invoice.vat_total, eur("27.20"));
  const Invoice note = credit_note(original, "Billed under the wrong agreement");
  EXPECT_EQ(note.kind, InvoiceKind::credit_note);
  EXPECT_EQ(note.group, VatGroup::subject);
  EXPECT_EQ(note.credited_invoice_id, 7);
  EXPECT_EQ(note.credit_reason, "Billed under the wrong agreement");
  EXPECT_EQ(note.header.agency, "KTL");
  EXPECT_EQ(note.header.period, Month(2027, 3));
  EXPECT_EQ(note.header.buyer_reference, "KTL-17");
  EXPECT_EQ(note.header.payment_terms_days, 14);
  EXPECT_EQ(note.header.agreement_id, "SA-KTL");
  EXPECT_EQ(note.header.agreement_version, 2);
  ASSERT_EQ(note.lines.size(), 2U);

  const Line& usage = note.lines[0];
  EXPECT_EQ(usage.kind, LineKind::usage);
  EXPECT_EQ(usage.description, "Credit: Payslip 10");
  EXPECT_EQ(usage.quantity, -10);
  EXPECT_EQ(usage.unit_price, dec("11.85"));  // kept: -10 x 11.85 = -118.50
  EXPECT_EQ(usage.amount, eur("-118.50"));
  EXPECT_EQ(usage.exact_amount, dec("-118.50"));
  EXPECT_EQ(usage.corrects_invoice_id, 7);
  EXPECT_FALSE(usage.corrected_kind.has_value());
  EXPECT_EQ(usage.agreement_version, 2);
  EXPECT_EQ(usage.price_source, "agreement");
  EXPECT_EQ(usage.days, original.invoice.lines[0].days);
  ASSERT_EQ(usage.volumes.size(), 2U);
  EXPECT_EQ(usage.volumes[0].daily_volume_id, 101);
  EXPECT_EQ(usage.volumes[0].quantity, -4);
  EXPECT_EQ(usage.volumes[1].daily_volume_id, 102);
  EXPECT_EQ(usage.volumes[1].tags, "urgent");
  EXPECT_EQ(usage.volumes[1].business_days, 2);
  EXPECT_EQ(usage.volumes[1].quantity, -6);

  const Line& correction = note.lines[1];
  EXPECT_EQ(correction.kind, LineKind::correction);
  EXPECT_EQ(correction.corrected_kind, LineKind::usage);
  EXPECT_EQ(correction.quantity, 1);
  EXPECT_EQ(correction.amount, eur("11.85"));
  EXPECT_EQ(correction.corrects_invoice_id, 7);  // the credited invoice, no longer 5

  // -118.50 + 11.85 = -106.65; VAT 25.5 % of -106.65 = -27.19575 -> -27.20; gross -133.85
  EXPECT_EQ(note.net, eur("-106.65"));
  EXPECT_EQ(note.vat_total, eur("-27.20"));
  EXPECT_EQ(note.gross, eur("-133.85"));
  ASSERT_EQ(note.vat.size(), 1U);
  EXPECT_EQ(note.vat[0].net, eur("-106.65"));
  EXPECT_EQ(note.vat[0].vat, eur("-27.20"));
}

// Half a cent of VAT: 25 % of 0.02 = 0.005 -> 0.01 on the invoice, and -0.005 -> -0.01 on
// the note: rounding half away from zero is symmetric, so the note cancels it exactly.
TEST(CreditNote, CancelsTheVatToTheCent) {
  Document original = final_invoice();
  Line small = line(LineKind::fee, 1, "0.02", "0.02");
  small.vat = {model::VatCategory::standard, dec("25"), ""};
  original.invoice.lines = {small};
  compute_totals(original.invoice);
  ASSERT_EQ(original.invoice.vat_total, eur("0.01"));
  const Invoice note = credit_note(original, "x");
  EXPECT_EQ(note.vat_total, eur("-0.01"));
  EXPECT_EQ(note.gross, -original.invoice.gross);
}

TEST(CheckCreditable, EveryRule) {
  struct Case {
    const char* name;
    Document document;
    const char* issue_date;
    const char* error;  // "" when it may be credited
  };
  const auto with = [](auto change) {
    Document document = final_invoice();
    change(document);
    return document;
  };
  const std::vector<Case> cases = {
      {"a final invoice, issued later", final_invoice(), "2027-04-10", ""},
      {"a final invoice, issued the same day", final_invoice(), "2027-04-03", ""},
      {"issued before the invoice", final_invoice(), "2027-04-02",
       "issue date 2027-04-02 is before the credited invoice's issue date 2027-04-03"},
      {"a credit note", with([](Document& d) { d.invoice.kind = InvoiceKind::credit_note; }), "2027-04-10",
       "2027-000003 is a credit note itself"},
      {"already credited", with([](Document& d) { d.credited_by = "2027-000009"; }), "2027-04-10",
       "2027-000003 is already credited by 2027-000009"},
      {"a draft", with([](Document& d) {
         d.status = InvoiceStatus::draft;
         d.number.clear();
         d.issue_date.reset();
       }),
       "2027-04-10", "invoice 7 is a draft: only a final invoice can be credited"},
  };
  for (const auto& c : cases) {
    std::string error;
    try {
      check_creditable(c.document, parse_date(c.issue_date));
    } catch (const InputError& e) {
      error = e.what();
    }
    EXPECT_EQ(error, c.error) << c.name;
  }
}

}  // namespace
}  // namespace costcover::invoice
