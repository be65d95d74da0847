// Invoices as plain values, and their pure assembly: rated lines (and corrections) of one
// agency's month split into invoices by VAT group (EN 16931 forbids category O on an
// invoice with other categories), numbered lines, VAT per category on the category's net
// sum, totals as sums of the rounded lines. No database here.
//
// Invariants (check_invoice() throws InvariantError otherwise): the net total is the sum
// of the lines' amounts; the VAT total is the sum of the per-category VAT; gross = net +
// VAT; every line's VAT category belongs to the invoice's group.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "core/money.hpp"
#include "model/line_kind.hpp"
#include "model/model.hpp"
#include "rating/rating.hpp"

namespace costcover::invoice {

enum class InvoiceKind { invoice, credit_note };
[[nodiscard]] std::string to_string(InvoiceKind kind);  // "invoice", "credit_note"
[[nodiscard]] InvoiceKind parse_invoice_kind(const std::string& text);

// "O": only lines not subject to VAT; "VAT": only lines subject to VAT (S, Z, E, AE).
enum class VatGroup { not_subject, subject };
[[nodiscard]] std::string to_string(VatGroup group);  // "O", "VAT"
[[nodiscard]] VatGroup vat_group_of(const model::Vat& vat);
[[nodiscard]] VatGroup parse_vat_group(const std::string& text);

// The key of a daily_volume row (survives a recount) and the units of it on a line.
struct LineVolume {
  std::int64_t daily_volume_id = 0;
  std::string service;
  Date day;
  std::string tags;  // ';'-joined, sorted
  int business_days = 0;
  std::int64_t quantity = 0;
};

struct Line {
  model::LineKind kind = model::LineKind::usage;
  std::string service;  // fees and charges: the service they pay for (empty only on lines billed before they named it)
  std::string description;
  std::int64_t quantity = 0;
  Decimal unit_price;
  Decimal exact_amount;
  Money amount;
  model::Vat vat;
  std::string agreement_id;
  int agreement_version = 0;
  std::string price_source;
  std::string exception_id;
  std::string exception_reason;
  std::optional<DateRange> days;
  std::optional<std::int64_t> corrects_invoice_id;  // correction and credit note lines
  std::optional<model::LineKind> corrected_kind;    // correction lines: the kind corrected
  std::optional<int> credits_line_no;               // credit note lines: the line of corrects_invoice_id credited
  std::vector<LineVolume> volumes;
};

struct VatSummary {
  model::VatCategory category = model::VatCategory::not_subject;
  std::optional<Decimal> rate;
  Money net;
  Money vat;
};

// What the header of an agency's invoices says (from the agreement version in force).
struct InvoiceHeader {
  std::string agency;
  Month period{2000, 1};
  std::string agreement_id;  // empty when no agreement (a correction-only invoice)
  int agreement_version = 0;
  int payment_terms_days = model::kDefaultPaymentTermsDays;
  std::string buyer_reference;
};

struct Invoice {
  InvoiceHeader header;
  InvoiceKind kind = InvoiceKind::invoice;
  VatGroup group = VatGroup::not_subject;
  std::vector<Line> lines;  // in invoice order; line_no is the index + 1
  std::vector<VatSummary> vat;
  Money net;
  Money vat_total;
  Money gross;
  std::optional<std::int64_t> credited_invoice_id;  // credit notes of an invoice
  std::string credit_reason;
  std::optional<std::int64_t> replaces_invoice_id;  // an invoice billed again: the invoice credited in full it replaces
  std::optional<int> settles_year;  // settlement invoices and credit notes (invoice/settlement.hpp): the year
};

// Splits lines (in invoice order) by VAT group into at most two invoices (group O first),
// computing VAT and totals. An empty group gives no invoice.
[[nodiscard]] std::vector<Invoice> assemble_invoices(const InvoiceHeader& header, InvoiceKind kind,
                                                     const std::vector<Line>& lines);

// VAT per category and rate (in first-seen order), each rounded half away from zero to
// the cent on the category's net sum; fills vat, net, vat_total and gross.
void compute_totals(Invoice& invoice);

// Throws InvariantError naming the invoice when a total does not add up.
void check_invoice(const Invoice& invoice, const std::string& name);

// The rows rate() was given, by daily_volume id.
using VolumeIndex = std::unordered_map<std::int64_t, const rating::DailyVolume*>;
[[nodiscard]] VolumeIndex index_volumes(std::span<const rating::DailyVolume> rows);

// A rated line as an invoice line: volumes resolved through the rows it rated, the
// exception's reason looked up in the agreement version.
[[nodiscard]] Line from_rated(const rating::InvoiceLine& rated, const VolumeIndex& rows,
                              std::span<const model::Agreement> agreements);

[[nodiscard]] model::VatCategory parse_vat_category(const std::string& code);  // "S" -> standard
[[nodiscard]] std::string join_tags(const std::vector<std::string>& tags);

}  // namespace costcover::invoice
