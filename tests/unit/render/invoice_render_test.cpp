// The invoice renderers (render/invoice_csv.hpp, render/invoice_html.hpp) on small
// values: the section each line falls in, the page's file name, the CSV rows (numbers as
// they are, text guarded against formulas), and what a draft, a final invoice and a credit
// note show. The golden cases and the quick start compare whole files byte for byte.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render/invoice_csv.hpp"
#include "render/invoice_html.hpp"
#include "render/labels.hpp"

namespace costcover::render {
namespace {

using invoice::InvoiceKind;
using invoice::InvoiceStatus;
using invoice::PrintedInvoice;
using invoice::PrintedLine;
using model::LineKind;

PrintedLine line(int line_no, LineKind kind, const std::string& service, std::int64_t quantity,
                 const std::string& unit_price, const char* amount) {
  PrintedLine out;
  out.line_no = line_no;
  out.kind = kind;
  out.service = service;
  out.service_name = service.empty() ? "" : "Payslips";
  out.unit = service.empty() ? "" : "pcs";
  out.description = "Line " + std::to_string(line_no);
  out.quantity = quantity;
  out.unit_price = unit_price;
  out.amount = Money::parse(amount);
  out.vat_category = "O";
  out.agreement_id = "SA-KTL";
  out.agreement_version = "2";
  return out;
}

PrintedInvoice draft() {
  PrintedInvoice out;
  out.id = 4;
  out.status = InvoiceStatus::draft;
  out.agency = "KTL";
  out.period = Month{2027, 3};
  out.payment_terms_days = 21;
  out.buyer_reference = "REF-1";
  out.buyer.name = "Keskustoimisto";
  out.language = "en";  // the texts these tests check; labels_test and the Swedish case cover the others
  return out;
}

PrintedInvoice final_invoice() {
  PrintedInvoice out = draft();
  out.status = InvoiceStatus::final;
  out.number = "2027-000003";
  out.issue_date = parse_date("2027-04-01");
  out.due_date = parse_date("2027-04-22");
  out.reference = "20270000030";  // 2027000003 and its 7-3-1 check digit
  out.rf_reference = "RF2320270000030";
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(InvoiceSections, EachLineFallsInOneSection) {
  struct Case {
    LineKind kind;
    std::string service;
    std::string service_name;
    Section section;
    std::string heading;
  };
  const std::vector<Case> cases = {
      {LineKind::usage, "payslip", "Payslips", Section::service, "Payslips"},
      {LineKind::true_up, "payslip", "", Section::service, "payslip"},  // no catalog name: the id
      {LineKind::fee, "", "", Section::fees_and_charges, "Fees and charges"},
      // Fees and charges name the service they pay for and come after every service's
      // lines (docs/formats.md), so they print in their own section, not under the service.
      {LineKind::fee, "account-management", "Account management", Section::fees_and_charges, "Fees and charges"},
      {LineKind::charge, "payslip", "Payslips", Section::fees_and_charges, "Fees and charges"},
      // Corrections and settlement lines have their own sections, service or not.
      {LineKind::correction, "payslip", "Payslips", Section::corrections, "Corrections of earlier invoices"},
      {LineKind::settlement, "", "", Section::settlement, "Cost-covering settlement"},
  };
  for (const auto& c : cases) {
    PrintedLine l = line(1, c.kind, c.service, 1, "1.0000", "1.00");
    l.service_name = c.service_name;
    EXPECT_EQ(section_of(c.kind, !c.service.empty()), c.section) << model::to_string(c.kind);
    EXPECT_EQ(section_heading(l), c.heading) << model::to_string(c.kind);
  }
}

TEST(InvoiceFiles, DraftsByVatGroupFinalsByNumber) {
  PrintedInvoice subject = draft();
  subject.group = invoice::VatGroup::subject;
  EXPECT_EQ(invoice_file_name(draft()), "KTL-2027-03-draft-O.html");
  EXPECT_EQ(invoice_file_name(subject), "KTL-2027-03-draft-VAT.html");
  EXPECT_EQ(invoice_file_name(final_invoice()), "KTL-2027-03-2027-000003.html");
}

TEST(InvoicesCsv, OneRowPerLineNumbersAsTheyAreTextGuarded) {
  PrintedInvoice invoice = final_invoice();
  invoice.lines = {line(1, LineKind::usage, "payslip", 1200, "0.8500", "1020.00"),
                   line(2, LineKind::correction, "payslip", -40, "0.8500", "-34.00")};
  invoice.lines[1].description = "=Correction, 2027-02";  // a formula to a spreadsheet
  PrintedInvoice empty = draft();                         // no lines: no rows
  const std::string csv = invoices_csv({invoice, empty});
  EXPECT_EQ(csv,
            "invoice_number,status,agency,period,issue_date,due_date,line_no,kind,service,description,quantity,"
            "unit_price,amount,vat_category,vat_rate,agreement_id,agreement_version,exception_id\n"
            "2027-000003,final,KTL,2027-03,2027-04-01,2027-04-22,1,usage,payslip,Line 1,1200,0.8500,1020.00,O,,"
            "SA-KTL,2,\n"
            // -40 and -34.00 stay numbers; the description gets its quote and, for the comma, quotes.
            "2027-000003,final,KTL,2027-03,2027-04-01,2027-04-22,2,correction,payslip,\"'=Correction, 2027-02\","
            "-40,0.8500,-34.00,O,,SA-KTL,2,\n");
}

TEST(InvoiceHtml, LinesGroupedWithSubtotalsPricedLinesShowUnitAndPrice) {
  PrintedInvoice invoice = final_invoice();
  // Two payslip lines (1200 x 0.85 = 1020.00, 100 x 1.2345 = 123.45: subtotal 1143.45), a
  // fee, and corrections: a priced one (-40 x 0.85 = -34.00) and an amount (quantity 1).
  invoice.lines = {line(1, LineKind::usage, "payslip", 1200, "0.8500", "1020.00"),
                   line(2, LineKind::over_limit, "payslip", 100, "1.2345", "123.45"),
                   line(3, LineKind::fee, "", 1, "50.0000", "50.00"),
                   line(4, LineKind::correction, "payslip", -40, "0.8500", "-34.00"),
                   line(5, LineKind::correction, "payslip", 1, "-5.0000", "-5.00")};
  const std::string html = invoice_html(invoice::Party{}, invoice);
  EXPECT_TRUE(contains(html, "<tr class=\"group\"><td colspan=\"6\">Payslips</td></tr>\n<tr><td>1</td>"));
  EXPECT_TRUE(contains(html, "<td class=\"num\">1\u2009200 pcs</td><td class=\"num\">0.85</td>"));
  EXPECT_TRUE(contains(html, "<td class=\"num\">100 pcs</td><td class=\"num\">1.2345</td>"));
  EXPECT_TRUE(contains(html, "Subtotal</td><td class=\"num\">1 143.45</td>"));
  EXPECT_TRUE(contains(html, "<td colspan=\"6\">Fees and charges</td>"));
  EXPECT_TRUE(contains(html, "<td class=\"num\">1</td><td class=\"num\"></td>"));  // the fee: no unit, no price
  EXPECT_TRUE(contains(html, "<td class=\"num\">\u221240 pcs</td><td class=\"num\">0.85</td>"));
  // The amount correction: quantity 1, no unit, no price; the section's subtotal -39.00.
  EXPECT_TRUE(contains(html, "<tr><td>5</td><td>Line 5</td><td class=\"num\">1</td><td class=\"num\"></td>"));
  EXPECT_TRUE(contains(html, "Subtotal</td><td class=\"num\">-39.00</td>"));
}

TEST(InvoiceHtml, WhatEachDocumentShows) {
  struct Case {
    std::string name;
    PrintedInvoice invoice;
    std::vector<std::string> shown;
    std::vector<std::string> not_shown;
  };
  PrintedInvoice credit = final_invoice();
  credit.kind = InvoiceKind::credit_note;
  credit.number = "2027-000009";
  credit.credited_number = "2027-000003";
  credit.credit_reason = "Wrong agreement";
  PrintedInvoice credit_no_due = credit;
  credit_no_due.due_date.reset();
  PrintedInvoice subject = final_invoice();
  subject.group = invoice::VatGroup::subject;
  PrintedInvoice replacing = final_invoice();
  replacing.replaces_number = "2027-000001";
  const std::vector<Case> cases = {
      {"draft",
       draft(),
       {"<div class=\"watermark\">DRAFT &middot; LUONNOS</div>", "<title>DRAFT (LUONNOS) INVOICE KTL 2027-03",
        "<tr><th>Invoice number</th><td>&ndash; (draft)</td></tr>", "<tr><th>Due date</th><td>&ndash;</td></tr>",
        "Reference number<b>(given at finalisation)</b>"},
       {"Credits invoice", "RF reference", "bank-barcode"}},
      {"final",
       final_invoice(),
       {"<tr><th>Invoice number</th><td>2027-000003</td></tr>", "<tr><th>Due date</th><td>2027-04-22</td></tr>",
        "<tr><th>Payment terms</th><td>21 days net</td></tr>", "Reference number<b>2 02700 00030</b>",
        "RF reference<b>RF23 2027 0000 030</b>", "<tr><th>Reference number</th><td>2 02700 00030</td></tr>",
        "Total to pay (EUR)", "(EN 16931 category O)"},
       {"<div class=\"watermark\">", "DRAFT"}},
      {"credit note",
       credit,
       {"<h1>CREDIT NOTE</h1>", "<tr><th>Credits invoice</th><td>2027-000003</td></tr>",
        "<p><b>Reason:</b> Wrong agreement</p>", "Total credited (EUR)"},
       {"Due date", "Payment terms", "class=\"payment\""}},
      // A credit note has no due date in the database (issue 14): nothing changes.
      {"credit note without a due date",
       credit_no_due,
       {"<h1>CREDIT NOTE</h1>", "Total credited (EUR)"},
       {"Due date", "Payment terms", "class=\"payment\"", "Reference number<b>", "bank-barcode"}},
      {"replacing an invoice credited in full",
       replacing,
       {"<tr><th>Replaces invoice</th><td>2027-000001</td></tr>"},
       {"Credits invoice"}},
      {"final, replacing nothing", final_invoice(), {}, {"Replaces invoice"}},
      // Only group O invoices carry the note that the services are not subject to VAT.
      {"VAT group", subject, {"Total to pay (EUR)"}, {"(EN 16931 category O)"}},
  };
  for (const auto& c : cases) {
    const std::string html = invoice_html(invoice::Party{}, c.invoice);
    for (const auto& part : c.shown) EXPECT_TRUE(contains(html, part)) << c.name << ": " << part;
    for (const auto& part : c.not_shown) EXPECT_FALSE(contains(html, part)) << c.name << ": " << part;
  }
}

// An invoice of a `language: sv` agency: every label in Swedish, none of the Finnish or
// English texts (those long enough to be words of their own), dates and amounts written
// the Nordic way, the references grouped and the bank barcode on the slip.
TEST(InvoiceHtml, SwedishThroughout) {
  PrintedInvoice invoice = final_invoice();
  invoice.language = "sv";
  invoice.lines = {line(1, LineKind::usage, "payslip", 1200, "0.8500", "1020.00"),
                   line(2, LineKind::correction, "payslip", -10, "0.8500", "-8.50")};
  invoice.lines[1].corrects_number = "2027-000001";
  invoice.net = Money::parse("1011.50");
  invoice.gross = invoice.net;
  invoice.vat = {invoice::PrintedVat{"O", "", invoice.net, Money{}}};
  invoice.agreement_id = "SA-KTL";
  invoice.agreement_version = "2";
  invoice.buyer.account_manager = "Anna";
  invoice.buyer.orderer = "Olli";
  invoice::Party provider;
  provider.name = "Palvelukeskus";
  provider.iban = "FI2112345600000785";
  provider.bic = "NDEAFIHH";
  const std::string html = invoice_html(provider, invoice);
  for (const Label which : all_labels()) {
    const std::string sv(label(which, Language::sv));
    for (const Language other : {Language::fi, Language::en}) {
      const std::string text(label(which, other));
      if (text == sv || text.size() < 5) continue;
      EXPECT_FALSE(contains(html, text)) << label_name(which) << " in " << to_string(other) << ": " << text;
    }
  }
  for (const char* part :
       {"<html lang=\"sv\">", "<h1>FAKTURA</h1>", "<tr><th>Förfallodag</th><td>22.4.2027</td></tr>",
        "<tr><th>Referensnummer</th><td>2 02700 00030</td></tr>", "RF-referens<b>RF23 2027 0000 030</b>",
        "1\u00a0011,50", "0,85", "(rättar fakturan 2027-000001)", "content: \"Sida \"", "id=\"bank-barcode\"",
        "421123456000007850010115000000000000020270000030270422"}) {
    EXPECT_TRUE(contains(html, part)) << part;
  }
  // No barcode for a zero amount, nor for a credit note.
  invoice.gross = Money{};
  EXPECT_FALSE(contains(invoice_html(provider, invoice), "bank-barcode"));
}

// The printed page: A4 portrait with "Page N / M" on every page, and the totals and the
// payment slip in one block a page break cannot split (the print test checks a real
// browser's layout of it).
TEST(InvoiceHtml, SlipStaysWithTheTotalsAndPagesAreNumbered) {
  PrintedInvoice invoice = final_invoice();
  invoice.lines = {line(1, LineKind::usage, "payslip", 1200, "0.8500", "1020.00")};
  const std::string html = invoice_html(invoice::Party{}, invoice);
  EXPECT_TRUE(contains(html, "@page { size: A4 portrait;"));
  EXPECT_TRUE(contains(html, "@bottom-right { content: \"Page \" counter(page) \" / \" counter(pages);"));
  EXPECT_TRUE(contains(html, ".settle { break-inside: avoid;"));
  const auto block = html.find("<div class=\"settle\">");
  const auto totals = html.find("id=\"totals\"");
  const auto slip = html.find("id=\"payment-slip\"");
  ASSERT_NE(block, std::string::npos);
  EXPECT_LT(block, totals);
  EXPECT_LT(totals, slip);
  // The block closes after the slip, before the footer.
  EXPECT_TRUE(contains(html, "EUR</b></div></div>\n</div>\n<footer>"));
}

TEST(InvoiceIndex, DraftsAndFinalsHaveTheirOwnTitles) {
  EXPECT_TRUE(
      contains(invoices_index_html(Month{2027, 3}, {draft()}, true), "<title>Draft invoices (LUONNOS) 2027-03"));
  EXPECT_TRUE(contains(invoices_index_html(Month{2027, 3}, {final_invoice()}), "<title>Invoices 2027-03</title>"));
}

PrintedInvoice with_totals(PrintedInvoice invoice, const char* net, const char* vat) {
  invoice.net = Money::parse(net);
  invoice.vat_total = Money::parse(vat);
  invoice.gross = invoice.net + invoice.vat_total;
  return invoice;
}

// invoice_headers.csv: one row per document, drafts with empty number and dates, a credit
// note with an empty due date and the number it credits; amounts with 2 decimals.
TEST(InvoiceHeadersCsv, OneRowPerDocumentInBothDialects) {
  PrintedInvoice subject = with_totals(final_invoice(), "1000.50", "255.13");
  subject.group = invoice::VatGroup::subject;
  subject.buyer_reference = "=REF;1";  // a formula, and the excel-fi separator
  PrintedInvoice credit = with_totals(final_invoice(), "-1000.50", "-255.13");
  credit.kind = InvoiceKind::credit_note;
  credit.number = "2027-000009";
  credit.credited_number = "2027-000003";
  subject.reference = "20270000030";
  subject.rf_reference = "RF2320270000030";
  credit.reference = "20270000098";
  credit.rf_reference = "RF3020270000098";
  PrintedInvoice open = with_totals(draft(), "12.00", "0.00");
  open.replaces_number = "2027-000001";  // drafted again after 2027-000001 was credited in full
  const std::vector<PrintedInvoice> documents = {open, subject, credit};
  EXPECT_EQ(invoice_headers_csv(documents),
            "number,kind,status,agency,period,vat_group,issue_date,due_date,payment_terms_days,buyer_reference,"
            "credited_invoice,replaces_invoice,currency,net_total,vat_total,gross_total,reference_number,rf_reference\n"
            ",invoice,draft,KTL,2027-03,O,,,21,REF-1,,2027-000001,EUR,12.00,0.00,12.00,,\n"
            "2027-000003,invoice,final,KTL,2027-03,VAT,2027-04-01,2027-04-22,21,'=REF;1,,,EUR,1000.50,255.13,1255.63,"
            "20270000030,RF2320270000030\n"
            "2027-000009,credit_note,final,KTL,2027-03,O,2027-04-01,,21,REF-1,2027-000003,,EUR,-1000.50,-255.13,"
            "-1255.63,20270000098,RF3020270000098\n");
  EXPECT_EQ(
      invoice_headers_csv(documents, CsvDialect::excel_fi),
      "\xEF\xBB\xBF"
      "number;kind;status;agency;period;vat_group;issue_date;due_date;payment_terms_days;buyer_reference;"
      "credited_invoice;replaces_invoice;currency;net_total;vat_total;gross_total;reference_number;rf_reference\r\n"
      ";invoice;draft;KTL;2027-03;O;;;21;REF-1;;2027-000001;EUR;12,00;0,00;12,00;;\r\n"
      "2027-000003;invoice;final;KTL;2027-03;VAT;2027-04-01;2027-04-22;21;\"'=REF;1\";;;EUR;1000,50;255,13;"
      "1255,63;20270000030;RF2320270000030\r\n"
      "2027-000009;credit_note;final;KTL;2027-03;O;2027-04-01;;21;REF-1;2027-000003;;EUR;-1000,50;-255,13;"
      "-1255,63;20270000098;RF3020270000098\r\n");
}

// invoices.csv in excel-fi: the same rows, ';' between fields, decimal commas in the
// quantities' neighbours (unit price, amount, VAT rate), a text comma unquoted.
TEST(InvoicesCsv, ExcelFiDialect) {
  PrintedInvoice invoice = final_invoice();
  invoice.lines = {line(1, LineKind::usage, "payslip", 1200, "0.8500", "1020.00")};
  invoice.lines[0].description = "Payslips, March";
  invoice.lines[0].vat_category = "S";
  invoice.lines[0].vat_rate = "25.50";
  EXPECT_EQ(invoices_csv({invoice}, CsvDialect::excel_fi),
            "\xEF\xBB\xBF"
            "invoice_number;status;agency;period;issue_date;due_date;line_no;kind;service;description;quantity;"
            "unit_price;amount;vat_category;vat_rate;agreement_id;agreement_version;exception_id\r\n"
            "2027-000003;final;KTL;2027-03;2027-04-01;2027-04-22;1;usage;payslip;Payslips, March;1200;0,8500;"
            "1020,00;S;25,50;SA-KTL;2;\r\n");
  // The standard dialect is the file as it always was.
  EXPECT_EQ(invoices_csv({invoice}, CsvDialect::standard), invoices_csv({invoice}));
  EXPECT_TRUE(contains(invoices_csv({invoice}), ",\"Payslips, March\",1200,0.8500,1020.00,S,25.50,"));
}

}  // namespace
}  // namespace costcover::render
