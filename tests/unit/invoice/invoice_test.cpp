// Invoice assembly (invoice/invoice.hpp), table-driven: lines split by VAT group (O first,
// an empty group gives no invoice), VAT per category and rate on the category's net sum,
// rounded half away from zero to the cent, totals as sums of the rounded lines; the
// invariants check_invoice holds; rated lines as invoice lines (from_rated). Each
// invoice is written as
//   "GROUP: net N vat V gross G [CATEGORY/RATE net/vat ...] lines K"
// and every expected amount is worked out in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "invoice/invoice.hpp"

namespace costcover::invoice {
namespace {

Decimal dec(const char* text) { return Decimal::parse(text); }
Money eur(const char* text) { return Money::parse(text); }

const model::Vat kO{model::VatCategory::not_subject, std::nullopt, ""};
model::Vat standard(const char* rate) { return {model::VatCategory::standard, dec(rate), ""}; }
const model::Vat kZ{model::VatCategory::zero_rated, Decimal::parse("0"), ""};
const model::Vat kE{model::VatCategory::exempt, std::nullopt, "Article 44"};

Line line(const char* amount, model::Vat vat, model::LineKind kind = model::LineKind::usage) {
  Line out;
  out.kind = kind;
  out.service = "purchase-invoice";
  out.description = "line of " + std::string(amount);
  out.quantity = 1;
  out.unit_price = dec(amount);
  out.exact_amount = dec(amount);
  out.amount = eur(amount);
  out.vat = std::move(vat);
  return out;
}

std::string describe(const Invoice& invoice) {
  std::string out = to_string(invoice.group) + ": net " + invoice.net.to_string() + " vat " +
                    invoice.vat_total.to_string() + " gross " + invoice.gross.to_string() + " [";
  for (std::size_t i = 0; i < invoice.vat.size(); ++i) {
    const auto& summary = invoice.vat[i];
    out += (i > 0 ? " " : "") + model::vat_code(summary.category) + "/" +
           (summary.rate ? summary.rate->to_string(2) : "") + " " + summary.net.to_string() + "/" +
           summary.vat.to_string();
  }
  return out + "] lines " + std::to_string(invoice.lines.size());
}

struct Case {
  const char* name;
  std::vector<Line> lines;
  std::vector<std::string> invoices;
};

TEST(AssembleInvoices, SplitsByVatGroupAndAddsUp) {
  const std::vector<Case> cases = {
      {"nothing to bill: no invoice", {}, {}},
      {"only lines not subject to VAT: one invoice of group O",
       {line("420.00", kO), line("50.00", kO, model::LineKind::fee)},
       // 420.00 + 50.00 = 470.00, no VAT
       {"O: net 470.00 vat 0.00 gross 470.00 [O/ 470.00/0.00] lines 2"}},
      {"only lines subject to VAT: one invoice of group VAT",
       {line("118.50", standard("25.5"))},
       // 25.5 % of 118.50 = 30.2175 -> 30.22; 118.50 + 30.22 = 148.72
       {"VAT: net 118.50 vat 30.22 gross 148.72 [S/25.50 118.50/30.22] lines 1"}},
      {"both: two invoices, group O first whatever the line order",
       {line("118.50", standard("25.5")), line("420.00", kO), line("-20.00", standard("25.5"))},
       // O: 420.00. VAT: 118.50 - 20.00 = 98.50; 25.5 % = 25.1175 -> 25.12; 98.50 + 25.12 = 123.62
       {"O: net 420.00 vat 0.00 gross 420.00 [O/ 420.00/0.00] lines 1",
        "VAT: net 98.50 vat 25.12 gross 123.62 [S/25.50 98.50/25.12] lines 2"}},
      {"VAT on the category's sum, not per line",
       {line("0.10", standard("25.5")), line("0.10", standard("25.5"))},
       // per line 0.0255 -> 0.03, twice 0.06; on the sum: 25.5 % of 0.20 = 0.051 -> 0.05
       {"VAT: net 0.20 vat 0.05 gross 0.25 [S/25.50 0.20/0.05] lines 2"}},
      {"two rates: one VAT row per rate, in the order first seen",
       {line("100.00", standard("25.5")), line("100.00", standard("14")), line("10.00", standard("25.5"))},
       // 25.5 % of 110.00 = 28.05; 14 % of 100.00 = 14.00; VAT 42.05; gross 210.00 + 42.05 = 252.05
       {"VAT: net 210.00 vat 42.05 gross 252.05 [S/25.50 110.00/28.05 S/14.00 100.00/14.00] lines 3"}},
      {"zero rated and exempt lines are subject to VAT but carry none",
       {line("80.00", kZ), line("20.00", kE)},
       // Z at 0 % and E: VAT 0.00 each
       {"VAT: net 100.00 vat 0.00 gross 100.00 [Z/0.00 80.00/0.00 E/ 20.00/0.00] lines 2"}},
      {"half a cent rounds away from zero, up",
       {line("0.02", standard("25"))},
       // 25 % of 0.02 = 0.005 -> 0.01
       {"VAT: net 0.02 vat 0.01 gross 0.03 [S/25.00 0.02/0.01] lines 1"}},
      {"half a cent rounds away from zero, down for a negative sum",
       {line("-0.02", standard("25"))},
       // 25 % of -0.02 = -0.005 -> -0.01
       {"VAT: net -0.02 vat -0.01 gross -0.03 [S/25.00 -0.02/-0.01] lines 1"}},
  };
  for (const auto& c : cases) {
    InvoiceHeader header;
    header.agency = "KTL";
    header.period = Month(2027, 3);
    const auto invoices = assemble_invoices(header, InvoiceKind::invoice, c.lines);
    std::vector<std::string> actual;
    for (const auto& invoice : invoices) {
      actual.push_back(describe(invoice));
      EXPECT_EQ(invoice.header.agency, "KTL") << c.name;
      EXPECT_EQ(invoice.kind, InvoiceKind::invoice) << c.name;
      EXPECT_NO_THROW(check_invoice(invoice, c.name)) << c.name;
    }
    EXPECT_EQ(actual, c.invoices) << c.name;
  }
}

TEST(AssembleInvoices, KeepsTheLinesInTheirOrder) {
  const std::vector<Line> lines = {line("1.00", kO), line("2.00", standard("25.5")), line("3.00", kO)};
  const auto invoices = assemble_invoices(InvoiceHeader{}, InvoiceKind::invoice, lines);
  ASSERT_EQ(invoices.size(), 2U);
  ASSERT_EQ(invoices[0].lines.size(), 2U);
  EXPECT_EQ(invoices[0].lines[0].description, "line of 1.00");
  EXPECT_EQ(invoices[0].lines[1].description, "line of 3.00");
  EXPECT_EQ(invoices[1].lines[0].description, "line of 2.00");
}

// Each broken total gives its own message, naming the invoice and the amounts.
TEST(CheckInvoice, NamesWhatDoesNotAddUp) {
  const auto good = [] {
    auto invoices = assemble_invoices(InvoiceHeader{}, InvoiceKind::invoice,
                                      {line("1204.17", standard("25.5")), line("0.01", standard("25.5"))});
    return invoices.front();  // net 1204.18, VAT 25.5 % = 307.0659 -> 307.07, gross 1511.25
  };
  const auto message = [](const Invoice& invoice) {
    try {
      check_invoice(invoice, "2027-000123");
    } catch (const InvariantError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(good()), "no error");

  Invoice net = good();
  net.lines[1].amount = Money{};  // lines now sum to 1204.17
  EXPECT_EQ(message(net), "invoice 2027-000123 lines sum to 1 204.17 but total is 1 204.18");

  Invoice vat = good();
  vat.vat_total = eur("307.06");
  EXPECT_EQ(message(vat),
            "invoice 2027-000123 VAT does not add up: net 1 204.18, VAT 307.06 (categories 307.07), gross 1 511.25");

  Invoice gross = good();
  gross.gross = eur("1511.24");
  EXPECT_EQ(message(gross),
            "invoice 2027-000123 VAT does not add up: net 1 204.18, VAT 307.07 (categories 307.07), gross 1 511.24");

  Invoice group = good();
  group.lines[1].vat = kO;
  EXPECT_EQ(message(group), "invoice 2027-000123 (VAT group) holds a line of VAT category O: line of 0.01");
}

TEST(FromRated, ResolvesLineageAndTheExceptionsReason) {
  const std::vector<rating::DailyVolume> rows = {
      {41, "purchase-invoice", parse_date("2027-03-02"), {"rework", "urgent"}, 2, 3, 30},
      {42, "purchase-invoice", parse_date("2027-03-03"), {}, 1, 1, 12},
  };
  model::Agreement agreement;
  agreement.id = "SA-KTL";
  agreement.version = 2;
  model::AgreementException exception;
  exception.id = "EX-3";
  exception.reason = "Payroll system migration";
  agreement.exceptions = {exception};
  model::Agreement other_version = agreement;
  other_version.version = 1;
  other_version.exceptions[0].reason = "an older reason";

  rating::InvoiceLine rated;
  rated.kind = model::LineKind::usage;
  rated.service = "purchase-invoice";
  rated.quantity = 42;
  rated.agreement_id = "SA-KTL";
  rated.agreement_version = 2;
  rated.exception_id = "EX-3";
  // Row 41 split over two shares of the same line (two tiers) is one lineage entry: 10 + 20.
  rated.sources = {{41, 10}, {42, 12}, {41, 20}};
  const std::vector<model::Agreement> agreements = {other_version, agreement};
  const Line out = from_rated(rated, index_volumes(rows), agreements);
  EXPECT_EQ(out.kind, model::LineKind::usage);
  EXPECT_EQ(out.exception_reason, "Payroll system migration");
  ASSERT_EQ(out.volumes.size(), 2U);
  EXPECT_EQ(out.volumes[0].daily_volume_id, 41);
  EXPECT_EQ(out.volumes[0].quantity, 30);
  EXPECT_EQ(out.volumes[0].tags, "rework;urgent");
  EXPECT_EQ(out.volumes[0].business_days, 2);
  EXPECT_EQ(out.volumes[1].daily_volume_id, 42);
  EXPECT_EQ(out.volumes[1].quantity, 12);

  rated.sources = {{43, 1}};
  EXPECT_THROW((void)from_rated(rated, index_volumes(rows), agreements), InvariantError);
}

}  // namespace
}  // namespace costcover::invoice
