// Credit notes (invoice/credit_note.hpp): who may be credited (one case per rule of
// check_creditable, with its message), and what the note holds. A whole credit: every line
// negated but its unit price, VAT computed again on the negated sums (so each total is the
// invoice's own negated, half cents included), lineage negated, pointing at the credited
// invoice and line. A partial credit: by quantity (at the unit price, rounded half away
// from zero, the last credit taking exactly what is left), by amount (quantity 0), the
// rest; every refusal with its message.
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

// "Credit: " in the language the credited invoice was printed in (its particulars').
TEST(CreditNote, DescriptionsInTheInvoicesLanguage) {
  Document original = final_invoice();
  const auto first = [&](const std::string& language) {
    original.language = language;
    return credit_note(original, {}, "x").lines.at(0).description;
  };
  EXPECT_EQ(first("fi"), "Hyvitys: Payslip 10");
  EXPECT_EQ(first("sv"), "Kreditering: Payslip 10");
  EXPECT_EQ(first("en"), "Credit: Payslip 10");
}

TEST(CreditNote, NegatesEveryLineButItsUnitPrice) {
  const Document original = final_invoice();
  ASSERT_EQ(original.invoice.net, eur("106.65"));
  ASSERT_EQ(original.invoice.vat_total, eur("27.20"));
  const Invoice note = credit_note(original, {}, "Billed under the wrong agreement");
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
  EXPECT_EQ(usage.description, "Hyvitys: Payslip 10");  // the invoice's language: fi by default
  EXPECT_EQ(usage.quantity, -10);
  EXPECT_EQ(usage.unit_price, dec("11.85"));  // kept: -10 x 11.85 = -118.50
  EXPECT_EQ(usage.amount, eur("-118.50"));
  EXPECT_EQ(usage.exact_amount, dec("-118.50"));
  EXPECT_EQ(usage.corrects_invoice_id, 7);
  EXPECT_EQ(usage.credits_line_no, 1);
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
  EXPECT_EQ(correction.credits_line_no, 2);
  EXPECT_TRUE(fully_credited_by(original, note));

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
  const Invoice note = credit_note(original, {}, "x");
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
      {"credited in part already: may be credited again", with([](Document& d) { d.credited_by = "2027-000009"; }),
       "2027-04-10", ""},
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

// The error of credit_note(original, asked), "" when none.
std::string refusal(const Document& original, const std::vector<LineCredit>& asked) {
  try {
    (void)credit_note(original, asked, "x");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

LineCredit units(int line_no, std::int64_t quantity) { return LineCredit{line_no, quantity, std::nullopt}; }
LineCredit euros(int line_no, const char* amount) { return LineCredit{line_no, std::nullopt, eur(amount)}; }

// 3 of the 10 units of line 1: -3 x 11.85 = -35.55, no lineage (the volumes stay on the
// line); line 2 untouched. VAT 25.5 % of -35.55 = -9.06525 -> -9.07; gross -44.62.
TEST(PartialCredit, ByQuantityAtTheUnitPrice) {
  const Document original = final_invoice();
  const Invoice note = credit_note(original, {units(1, 3)}, "3 payslips counted twice");
  ASSERT_EQ(note.lines.size(), 1U);
  const Line& credit = note.lines[0];
  EXPECT_EQ(credit.quantity, -3);
  EXPECT_EQ(credit.unit_price, dec("11.85"));
  EXPECT_EQ(credit.amount, eur("-35.55"));
  EXPECT_EQ(credit.exact_amount, dec("-35.55"));
  EXPECT_EQ(credit.credits_line_no, 1);
  EXPECT_EQ(credit.corrects_invoice_id, 7);
  EXPECT_TRUE(credit.volumes.empty());
  EXPECT_EQ(note.net, eur("-35.55"));
  EXPECT_EQ(note.vat_total, eur("-9.07"));
  EXPECT_EQ(note.gross, eur("-44.62"));
  EXPECT_FALSE(fully_credited_by(original, note));
}

// Line 1: 3 x 0.3350 = 1.005 -> 1.01. One unit at a time: -0.335 -> -0.34, -0.34, and the
// last unit takes exactly what is left, 1.01 - 0.68 = 0.33 (not -0.34): the parts sum to
// the line.
TEST(PartialCredit, TheLastCreditTakesExactlyWhatIsLeft) {
  Document original = final_invoice();
  Line small = line(LineKind::usage, 3, "0.3350", "1.01");
  small.exact_amount = dec("1.005");
  original.invoice.lines = {small};
  compute_totals(original.invoice);
  original.credited = {LineCredited{0, Money(), Decimal()}};
  Money sum;
  std::int64_t quantity = 0;
  const char* expected[] = {"-0.34", "-0.34", "-0.33"};
  for (const char* amount : expected) {
    const Invoice note = credit_note(original, {units(1, 1)}, "x");
    ASSERT_EQ(note.lines.size(), 1U);
    EXPECT_EQ(note.lines[0].amount, eur(amount));
    sum += note.lines[0].amount;
    quantity += note.lines[0].quantity;
    original.credited[0].quantity += note.lines[0].quantity;
    original.credited[0].amount += note.lines[0].amount;
    original.credited[0].exact_amount = original.credited[0].exact_amount + note.lines[0].exact_amount;
  }
  EXPECT_EQ(sum, -small.amount);
  EXPECT_EQ(quantity, -3);
  EXPECT_EQ(original.credited[0].exact_amount, dec("-1.005"));
  EXPECT_EQ(refusal(original, {units(1, 1)}),
            "invoice 2027-000003 line 1 is credited in full already: nothing is left of it");
  EXPECT_EQ(refusal(original, {}), "invoice 2027-000003 is credited in full already");
}

// By amount: quantity 0, the amount as asked; the whole amount left takes the quantity left
// too, so the line is closed. A negative line (the correction, -11.85) is credited upwards.
TEST(PartialCredit, ByAmount) {
  Document original = final_invoice();
  const Invoice note = credit_note(original, {euros(1, "10.00"), euros(2, "5.00")}, "goodwill");
  ASSERT_EQ(note.lines.size(), 2U);
  EXPECT_EQ(note.lines[0].quantity, 0);
  EXPECT_EQ(note.lines[0].amount, eur("-10.00"));
  EXPECT_EQ(note.lines[0].exact_amount, dec("-10"));
  EXPECT_EQ(note.lines[1].quantity, 0);
  EXPECT_EQ(note.lines[1].amount, eur("5.00"));
  EXPECT_EQ(note.net, eur("-5.00"));

  original.credited = {LineCredited{0, eur("-10.00"), dec("-10")}, LineCredited{}};
  const Invoice rest = credit_note(original, {euros(1, "108.50")}, "the rest by amount");
  EXPECT_EQ(rest.lines[0].quantity, -10);
  EXPECT_EQ(rest.lines[0].amount, eur("-108.50"));
  EXPECT_EQ(rest.lines[0].exact_amount, dec("-108.50"));
}

// Without lines: the rest of every line with something left, after a partial credit.
TEST(PartialCredit, TheRestOfEveryLine) {
  Document original = final_invoice();
  original.credited = {LineCredited{-3, eur("-35.55"), dec("-35.55")}, LineCredited{}};
  const Invoice note = credit_note(original, {}, "the rest");
  ASSERT_EQ(note.lines.size(), 2U);
  EXPECT_EQ(note.lines[0].quantity, -7);
  EXPECT_EQ(note.lines[0].amount, eur("-82.95"));
  EXPECT_TRUE(note.lines[0].volumes.empty());  // the line was credited in part before
  EXPECT_EQ(note.lines[1].quantity, 1);
  EXPECT_EQ(note.lines[1].amount, eur("11.85"));
  EXPECT_EQ(note.lines[1].credits_line_no, 2);
  EXPECT_TRUE(fully_credited_by(original, note));
}

TEST(PartialCredit, EveryRefusal) {
  Document original = final_invoice();
  Line fee = line(LineKind::fee, 1, "50.00", "50.00");
  original.invoice.lines.push_back(fee);
  compute_totals(original.invoice);
  struct Case {
    const char* name;
    std::vector<LineCredit> asked;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"all units", {units(1, 10)}, ""},
      {"above the units left", {units(1, 11)}, "invoice 2027-000003 line 1: asked 11 unit(s), 10 unit(s) left"},
      {"zero units", {units(1, 0)}, "invoice 2027-000003 line 1: asked 0 unit(s); a quantity must be above 0"},
      {"above the amount left", {euros(1, "118.51")}, "invoice 2027-000003 line 1: asked 118.51 EUR, 118.50 EUR left"},
      {"zero amount", {euros(1, "0.00")}, "invoice 2027-000003 line 1: asked 0.00 EUR; an amount must be above 0"},
      {"a fee by quantity",
       {units(3, 1)},
       "invoice 2027-000003 line 3 is a fee line, not priced per unit: credit it by amount or in full"},
      {"no such line", {units(4, 1)}, "invoice 2027-000003 has no line 4: its lines are 1 to 3"},
      {"line 0",
       {LineCredit{0, std::nullopt, std::nullopt}},
       "invoice 2027-000003 has no line 0: its lines are 1 to 3"},
      {"a line twice", {units(1, 1), euros(1, "1.00")}, "invoice 2027-000003 line 1 is asked twice"},
      {"quantity and amount",
       {LineCredit{1, 1, eur("1.00")}},
       "invoice 2027-000003 line 1: credit a quantity or an amount, not both"},
  };
  for (const auto& c : cases) EXPECT_EQ(refusal(original, c.asked), c.error) << c.name;

  // Earlier notes took 9 units and 100.00: one unit would be 11.85, but 6.65 is left.
  original.credited = {LineCredited{-9, eur("-111.85"), dec("-111.85")}, LineCredited{}, LineCredited{}};
  original.credited[0].amount = eur("-111.85");
  EXPECT_EQ(refusal(original, {units(1, 1)}), "");  // the last unit takes what is left: 6.65
  original.credited[0].quantity = -8;
  EXPECT_EQ(refusal(original, {units(1, 1)}),
            "invoice 2027-000003 line 1: asked 1 unit(s), which is 11.85 EUR, but 6.65 EUR is left of its amount");
}

// A full credit is refused while another final invoice corrects the invoice; a partial
// one is not.
TEST(PartialCredit, FullCreditRefusedWhileCorrected) {
  Document original = final_invoice();
  original.corrected_on = {"2027-000011 line 4"};
  EXPECT_EQ(refusal(original, {}),
            "invoice 2027-000003 cannot be credited in full: it is corrected on 2027-000011 line 4; credit those "
            "correction lines first");
  EXPECT_EQ(refusal(original, {units(1, 3)}), "");
}

}  // namespace
}  // namespace costcover::invoice
