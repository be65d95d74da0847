#include "render/invoice_csv.hpp"

#include <array>

#include "core/csv.hpp"
#include "model/line_kind.hpp"

namespace costcover::render {
namespace {

std::string date_text(const std::optional<Date>& day) { return day ? format_date(*day) : std::string(); }

// The numbers (line_no, quantity, unit_price, amount, vat_rate, agreement_version) are
// written as they are: an amount may start with '-'. Every other field is text, which a
// spreadsheet must not take for a formula (csv_text_field).
void append_line(std::string& out, const invoice::PrintedInvoice& invoice, const invoice::PrintedLine& line) {
  const std::array<std::string, 18> fields = {csv_text_field(invoice.number),
                                              csv_text_field(to_string(invoice.status)),
                                              csv_text_field(invoice.agency),
                                              csv_text_field(invoice.period.to_string()),
                                              csv_text_field(date_text(invoice.issue_date)),
                                              csv_text_field(date_text(invoice.due_date)),
                                              csv_field(std::to_string(line.line_no)),
                                              csv_text_field(model::to_string(line.kind)),
                                              csv_text_field(line.service),
                                              csv_text_field(line.description),
                                              csv_field(std::to_string(line.quantity)),
                                              csv_field(line.unit_price),
                                              csv_field(line.amount.to_string()),
                                              csv_text_field(line.vat_category),
                                              csv_field(line.vat_rate),
                                              csv_text_field(line.agreement_id),
                                              csv_field(line.agreement_version),
                                              csv_text_field(line.exception_id)};
  for (std::size_t c = 0; c < fields.size(); ++c) {
    if (c > 0) out.push_back(',');
    out += fields[c];
  }
  out.push_back('\n');
}

}  // namespace

std::string invoices_csv(const std::vector<invoice::PrintedInvoice>& invoices) {
  std::string out =
      "invoice_number,status,agency,period,issue_date,due_date,line_no,kind,service,description,quantity,"
      "unit_price,amount,vat_category,vat_rate,agreement_id,agreement_version,exception_id\n";
  for (const auto& invoice : invoices) {
    for (const auto& line : invoice.lines) append_line(out, invoice, line);
  }
  return out;
}

}  // namespace costcover::render
