#include "invoice/credit_note.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace costcover::invoice {
namespace {

Line negated(const Line& line, std::int64_t credited_id) {
  Line out = line;
  out.description = "Credit: " + line.description;
  out.quantity = -line.quantity;
  out.amount = -line.amount;
  out.exact_amount = -line.exact_amount;
  out.corrects_invoice_id = credited_id;
  for (auto& volume : out.volumes) volume.quantity = -volume.quantity;
  return out;
}

}  // namespace

void check_creditable(const Document& original, Date issue_date) {
  const std::string& number = original.number;
  if (original.invoice.kind == InvoiceKind::credit_note) throw InputError(number + " is a credit note itself");
  if (original.status != InvoiceStatus::final || !original.issue_date) {
    throw InputError(fmt::format("invoice {} is a draft: only a final invoice can be credited", original.id));
  }
  if (!original.credited_by.empty()) throw InputError(number + " is already credited by " + original.credited_by);
  if (issue_date < *original.issue_date) {
    throw InputError(fmt::format("issue date {} is before the credited invoice's issue date {}",
                                 format_date(issue_date), format_date(*original.issue_date)));
  }
}

Invoice credit_note(const Document& original, const std::string& reason) {
  Invoice note;
  note.header = original.invoice.header;
  note.kind = InvoiceKind::credit_note;
  note.group = original.invoice.group;
  note.credited_invoice_id = original.id;
  note.credit_reason = reason;
  note.lines.reserve(original.invoice.lines.size());
  for (const auto& line : original.invoice.lines) note.lines.push_back(negated(line, original.id));
  compute_totals(note);
  check_invoice(note, "credit note of " + original.number);
  return note;
}

}  // namespace costcover::invoice
