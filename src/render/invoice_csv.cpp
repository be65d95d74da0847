#include "render/invoice_csv.hpp"

#include "model/line_kind.hpp"

namespace costcover::render {
namespace {

std::string date_text(const std::optional<Date>& day) { return day ? format_date(*day) : std::string(); }

void header(CsvWriter& csv, std::initializer_list<std::string_view> names) {
  for (const auto name : names) csv.text(name);
  csv.end_record();
}

// The numbers (line_no, quantity, unit_price, amount, vat_rate, agreement_version) are
// written as numbers: an amount may start with '-', and excel-fi gives them a decimal
// comma. Every other field is text, which a spreadsheet must not take for a formula.
void append_line(CsvWriter& csv, const invoice::PrintedInvoice& invoice, const invoice::PrintedLine& line) {
  csv.text(invoice.number)
      .text(to_string(invoice.status))
      .text(invoice.agency)
      .text(invoice.period.to_string())
      .text(date_text(invoice.issue_date))
      .text(date_text(invoice.due_date))
      .number(std::to_string(line.line_no))
      .text(model::to_string(line.kind))
      .text(line.service)
      .text(line.description)
      .number(std::to_string(line.quantity))
      .number(line.unit_price)
      .number(line.amount.to_string())
      .text(line.vat_category)
      .number(line.vat_rate)
      .text(line.agreement_id)
      .number(line.agreement_version)
      .text(line.exception_id);
  csv.end_record();
}

}  // namespace

std::string invoices_csv(const std::vector<invoice::PrintedInvoice>& invoices, CsvDialect dialect) {
  CsvWriter csv(dialect);
  header(csv, {"invoice_number", "status", "agency", "period", "issue_date", "due_date", "line_no", "kind", "service",
               "description", "quantity", "unit_price", "amount", "vat_category", "vat_rate", "agreement_id",
               "agreement_version", "exception_id"});
  for (const auto& invoice : invoices) {
    for (const auto& line : invoice.lines) append_line(csv, invoice, line);
  }
  return csv.bytes();
}

std::string invoice_headers_csv(const std::vector<invoice::PrintedInvoice>& invoices, CsvDialect dialect) {
  CsvWriter csv(dialect);
  header(csv, {"number", "kind", "status", "agency", "period", "vat_group", "issue_date", "due_date",
               "payment_terms_days", "buyer_reference", "credited_invoice", "replaces_invoice", "currency", "net_total",
               "vat_total", "gross_total", "reference_number", "rf_reference"});
  for (const auto& invoice : invoices) {
    const bool credit = invoice.kind == invoice::InvoiceKind::credit_note;
    csv.text(invoice.number)
        .text(to_string(invoice.kind))
        .text(to_string(invoice.status))
        .text(invoice.agency)
        .text(invoice.period.to_string())
        .text(to_string(invoice.group))
        .text(date_text(invoice.issue_date))
        .text(credit ? std::string() : date_text(invoice.due_date))
        .number(std::to_string(invoice.payment_terms_days))
        .text(invoice.buyer_reference)
        .text(invoice.credited_number)
        .text(invoice.replaces_number)
        .text(invoice.currency)
        .number(invoice.net.to_string())
        .number(invoice.vat_total.to_string())
        .number(invoice.gross.to_string())
        .text(invoice.reference)
        .text(invoice.rf_reference);
    csv.end_record();
  }
  return csv.bytes();
}

}  // namespace costcover::render
