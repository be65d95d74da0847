// Finvoice 3.0 e-invoices (Finance Finland's XML message, docs/finvoice.md): one final
// invoice (INV01) or credit note (INV02) as one document, valid against
// tests/einvoice/schemas/finvoice-3.0/Finvoice3.0.xsd. Pure: the same values give the same
// bytes (the message timestamp is the issue date at midnight, not the clock).
//
// Before a document is written it is checked (finvoice_checks): the sums to the cent, the
// lengths and patterns the schema sets, the reference number, the parties' OVT codes and
// e-invoice operators, the seller's bank account. A document that fails any check is not
// rendered; each failure names the document, the check's id (FINVOICE-...) and the values.
#pragma once

#include <string>
#include <vector>

#include "invoice/printed.hpp"

namespace costcover::render {

struct FinvoiceFailure {
  std::string rule;     // "FINVOICE-SUM-ROWS", ...: the ids docs/finvoice.md lists
  std::string message;  // "FINVOICE-...: what failed, with the values"
};

// Every check the document fails, in a fixed order; empty when it can be written.
[[nodiscard]] std::vector<FinvoiceFailure> finvoice_checks(const invoice::PrintedInvoice& invoice);

struct FinvoiceDocument {
  std::string xml;                        // empty when refused
  std::vector<FinvoiceFailure> failures;  // why it was refused; empty when written
};

// The document, or the checks it fails.
[[nodiscard]] FinvoiceDocument finvoice(const invoice::PrintedInvoice& invoice);

// NUMBER.finvoice.xml
[[nodiscard]] std::string finvoice_file_name(const invoice::PrintedInvoice& invoice);

}  // namespace costcover::render
