#include "invoice/document.hpp"

#include <stdexcept>

namespace costcover::invoice {

std::string to_string(InvoiceStatus status) { return status == InvoiceStatus::draft ? "draft" : "final"; }

InvoiceStatus parse_invoice_status(const std::string& text) {
  if (text == "draft") return InvoiceStatus::draft;
  if (text == "final") return InvoiceStatus::final;
  throw std::invalid_argument("unknown invoice status \"" + text + "\"");
}

}  // namespace costcover::invoice
