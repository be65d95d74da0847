#include "invoice/credit_note.hpp"

#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "core/phrases.hpp"
#include "model/line_kind.hpp"

namespace costcover::invoice {
namespace {

int sign(std::int64_t value) { return (value > 0) - (value < 0); }

// What is left of one line: the line plus what earlier credit notes took.
struct Left {
  std::int64_t quantity = 0;
  Money amount;
  Decimal exact_amount;
  [[nodiscard]] bool nothing() const { return quantity == 0 && amount.cents() == 0; }
};

Left left_of(const Document& original, std::size_t index) {
  const Line& line = original.invoice.lines[index];
  Left left{line.quantity, line.amount, line.exact_amount};
  if (index < original.credited.size()) {
    const LineCredited& taken = original.credited[index];
    left.quantity += taken.quantity;
    left.amount += taken.amount;
    left.exact_amount = left.exact_amount + taken.exact_amount;
  }
  return left;
}

std::string units(std::int64_t quantity) { return fmt::format("{} unit(s)", std::llabs(quantity)); }
std::string euros(Money amount) { return Money::from_cents(std::llabs(amount.cents())).to_display() + " EUR"; }

// -(quantity x unit price), exact to the Decimal's scale (unit prices have 4 decimals).
Decimal exact_product(std::int64_t quantity, Decimal unit_price, const std::string& where) {
  const Int128 units = static_cast<Int128>(quantity) * unit_price.units();
  if (units > INT64_MAX || units < INT64_MIN) throw InputError(where + ": the credited amount is out of range");
  return Decimal::from_units(static_cast<std::int64_t>(units));
}

// The credit line of one asked credit (the table of credit_note.hpp).
Line credit_line(const Document& original, const LineCredit& asked, std::int64_t credited_id) {
  const auto index = static_cast<std::size_t>(asked.line_no - 1);
  const Line& line = original.invoice.lines[index];
  const Left left = left_of(original, index);
  const std::string where = fmt::format("invoice {} line {}", original.number, asked.line_no);
  if (left.nothing()) throw InputError(where + " is credited in full already: nothing is left of it");
  Line out = line;
  out.description = phrase(Phrase::credit, original.language, line.description);
  out.corrects_invoice_id = credited_id;
  out.credits_line_no = asked.line_no;
  // The rest of the line, by default and whenever what is asked is all that is left.
  out.quantity = -left.quantity;
  out.amount = -left.amount;
  out.exact_amount = -left.exact_amount;
  const bool untouched = left.quantity == line.quantity && left.amount == line.amount;
  if (asked.quantity) {
    const std::int64_t quantity = *asked.quantity;
    if (!model::is_priced(line.kind)) {
      throw InputError(fmt::format("{} is a {} line, not priced per unit: credit it by amount or in full", where,
                                   model::to_string(line.kind)));
    }
    if (quantity <= 0)
      throw InputError(fmt::format("{}: asked {} unit(s); a quantity must be above 0", where, quantity));
    if (left.quantity == 0 || quantity > std::llabs(left.quantity)) {
      throw InputError(fmt::format("{}: asked {}, {} left", where, units(quantity), units(left.quantity)));
    }
    if (quantity < std::llabs(left.quantity)) {
      out.quantity = -sign(left.quantity) * quantity;
      out.amount = multiply_round(out.quantity, line.unit_price);
      out.exact_amount = exact_product(out.quantity, line.unit_price, where);
      const bool passes = std::llabs(out.amount.cents()) > std::llabs(left.amount.cents()) ||
                          (out.amount.cents() != 0 && sign(out.amount.cents()) == sign(left.amount.cents()));
      if (passes) {
        throw InputError(fmt::format("{}: asked {}, which is {}, but {} is left of its amount", where, units(quantity),
                                     euros(out.amount), euros(left.amount)));
      }
      out.volumes.clear();
    }
  } else if (asked.amount) {
    const Money amount = *asked.amount;
    if (amount.cents() <= 0) {
      throw InputError(fmt::format("{}: asked {} EUR; an amount must be above 0", where, amount.to_display()));
    }
    if (left.amount.cents() == 0 || amount.cents() > std::llabs(left.amount.cents())) {
      throw InputError(fmt::format("{}: asked {}, {} left", where, euros(amount), euros(left.amount)));
    }
    if (amount.cents() < std::llabs(left.amount.cents())) {
      out.quantity = 0;
      out.amount = Money::from_cents(-sign(left.amount.cents()) * amount.cents());
      out.exact_amount = Decimal::from_money(out.amount);
      out.volumes.clear();
    }
  }
  if (out.quantity == -left.quantity && out.amount == -left.amount && untouched) {
    for (auto& volume : out.volumes) volume.quantity = -volume.quantity;
  } else {
    out.volumes.clear();
  }
  return out;
}

}  // namespace

void check_creditable(const Document& original, Date issue_date) {
  const std::string& number = original.number;
  if (original.invoice.kind == InvoiceKind::credit_note) throw InputError(number + " is a credit note itself");
  if (original.status != InvoiceStatus::final || !original.issue_date) {
    throw InputError(fmt::format("invoice {} is a draft: only a final invoice can be credited", original.id));
  }
  if (issue_date < *original.issue_date) {
    throw InputError(fmt::format("issue date {} is before the credited invoice's issue date {}",
                                 format_date(issue_date), format_date(*original.issue_date)));
  }
}

Invoice credit_note(const Document& original, const std::vector<LineCredit>& asked, const std::string& reason) {
  const auto& lines = original.invoice.lines;
  // The asked credits by line number (every line with something left when none is asked).
  std::map<int, LineCredit> by_line;
  if (asked.empty()) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!left_of(original, i).nothing())
        by_line.emplace(static_cast<int>(i + 1), LineCredit{static_cast<int>(i + 1), std::nullopt, std::nullopt});
    }
    if (by_line.empty()) throw InputError("invoice " + original.number + " is credited in full already");
  }
  for (const auto& credit : asked) {
    if (credit.line_no < 1 || static_cast<std::size_t>(credit.line_no) > lines.size()) {
      throw InputError(fmt::format("invoice {} has no line {}: its lines are 1 to {}", original.number, credit.line_no,
                                   lines.size()));
    }
    if (credit.quantity && credit.amount) {
      throw InputError(
          fmt::format("invoice {} line {}: credit a quantity or an amount, not both", original.number, credit.line_no));
    }
    if (!by_line.emplace(credit.line_no, credit).second) {
      throw InputError(fmt::format("invoice {} line {} is asked twice", original.number, credit.line_no));
    }
  }
  Invoice note;
  note.header = original.invoice.header;
  note.kind = InvoiceKind::credit_note;
  note.group = original.invoice.group;
  note.credited_invoice_id = original.id;
  note.credit_reason = reason;
  for (const auto& [line_no, credit] : by_line) note.lines.push_back(credit_line(original, credit, original.id));
  compute_totals(note);
  check_invoice(note, "credit note of " + original.number);
  if (fully_credited_by(original, note) && !original.corrected_on.empty()) {
    std::string on;
    for (const auto& where : original.corrected_on) on += (on.empty() ? "" : ", ") + where;
    throw InputError(
        fmt::format("invoice {} cannot be credited in full: it is corrected on {}; credit those correction lines first",
                    original.number, on));
  }
  return note;
}

bool fully_credited_by(const Document& original, const Invoice& note) {
  std::vector<Left> left;
  for (std::size_t i = 0; i < original.invoice.lines.size(); ++i) left.push_back(left_of(original, i));
  for (const auto& line : note.lines) {
    if (!line.credits_line_no) continue;
    Left& entry = left.at(static_cast<std::size_t>(*line.credits_line_no - 1));
    entry.quantity += line.quantity;
    entry.amount += line.amount;
  }
  for (const auto& entry : left) {
    if (!entry.nothing()) return false;
  }
  return true;
}

}  // namespace costcover::invoice
