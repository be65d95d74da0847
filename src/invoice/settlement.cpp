#include "invoice/settlement.hpp"

#include <fmt/format.h>

#include "core/phrases.hpp"

namespace costcover::invoice {

InvoiceKind settlement_kind(Money net) { return net < Money() ? InvoiceKind::credit_note : InvoiceKind::invoice; }

std::string settlement_credit_reason(int year, const std::string& language) {
  return phrase(Phrase::settlement_credit_reason, language, year);
}

std::vector<Invoice> settlement_documents(const InvoiceHeader& header, int year, const std::vector<Line>& lines,
                                          const std::string& language) {
  std::vector<Invoice> documents = assemble_invoices(header, InvoiceKind::invoice, lines);
  for (Invoice& document : documents) {
    document.settles_year = year;
    document.kind = settlement_kind(document.net);
    if (document.kind == InvoiceKind::credit_note) document.credit_reason = settlement_credit_reason(year, language);
    check_invoice(document, fmt::format("settlement {} of {} ({})", to_string(document.kind), header.agency,
                                        to_string(document.group)));
  }
  return documents;
}

}  // namespace costcover::invoice
