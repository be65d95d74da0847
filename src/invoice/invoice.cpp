#include "invoice/invoice.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace costcover::invoice {

std::string to_string(InvoiceKind kind) { return kind == InvoiceKind::invoice ? "invoice" : "credit_note"; }

InvoiceKind parse_invoice_kind(const std::string& text) {
  if (text == "invoice") return InvoiceKind::invoice;
  if (text == "credit_note") return InvoiceKind::credit_note;
  throw std::invalid_argument("unknown invoice kind \"" + text + "\"");
}

std::string to_string(VatGroup group) { return group == VatGroup::not_subject ? "O" : "VAT"; }

VatGroup vat_group_of(const model::Vat& vat) {
  return vat.category == model::VatCategory::not_subject ? VatGroup::not_subject : VatGroup::subject;
}

VatGroup parse_vat_group(const std::string& text) {
  if (text == "O") return VatGroup::not_subject;
  if (text == "VAT") return VatGroup::subject;
  throw std::invalid_argument("unknown VAT group \"" + text + "\"");
}

model::VatCategory parse_vat_category(const std::string& code) {
  using model::VatCategory;
  for (const auto category : {VatCategory::standard, VatCategory::zero_rated, VatCategory::exempt,
                              VatCategory::reverse_charge, VatCategory::not_subject}) {
    if (model::vat_code(category) == code) return category;
  }
  throw std::invalid_argument("unknown VAT category \"" + code + "\"");
}

std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) {
    if (!out.empty()) out += ';';
    out += tag;
  }
  return out;
}

std::vector<Invoice> assemble_invoices(const InvoiceHeader& header, InvoiceKind kind, const std::vector<Line>& lines) {
  std::vector<Invoice> out;
  for (const VatGroup group : {VatGroup::not_subject, VatGroup::subject}) {
    Invoice invoice;
    invoice.header = header;
    invoice.kind = kind;
    invoice.group = group;
    for (const auto& line : lines) {
      if (vat_group_of(line.vat) == group) invoice.lines.push_back(line);
    }
    if (invoice.lines.empty()) continue;
    compute_totals(invoice);
    out.push_back(std::move(invoice));
  }
  return out;
}

namespace {
bool same_rate(const std::optional<Decimal>& a, const std::optional<Decimal>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}
}  // namespace

void compute_totals(Invoice& invoice) {
  invoice.vat.clear();
  invoice.net = Money{};
  for (const auto& line : invoice.lines) {
    invoice.net += line.amount;
    auto found = std::find_if(invoice.vat.begin(), invoice.vat.end(), [&](const VatSummary& s) {
      return s.category == line.vat.category && same_rate(s.rate, line.vat.rate);
    });
    if (found == invoice.vat.end()) {
      invoice.vat.push_back(VatSummary{line.vat.category, line.vat.rate, Money{}, Money{}});
      found = std::prev(invoice.vat.end());
    }
    found->net += line.amount;
  }
  invoice.vat_total = Money{};
  for (auto& summary : invoice.vat) {
    summary.vat = (summary.category == model::VatCategory::standard && summary.rate)
                      ? percent_of(summary.net, *summary.rate)
                      : Money{};
    invoice.vat_total += summary.vat;
  }
  invoice.gross = invoice.net + invoice.vat_total;
}

void check_invoice(const Invoice& invoice, const std::string& name) {
  Money lines;
  for (const auto& line : invoice.lines) {
    lines += line.amount;
    if (vat_group_of(line.vat) != invoice.group) {
      throw InvariantError(fmt::format("invoice {} ({} group) holds a line of VAT category {}: {}", name,
                                       to_string(invoice.group), model::vat_code(line.vat.category), line.description));
    }
  }
  if (lines != invoice.net) {
    throw InvariantError(
        fmt::format("invoice {} lines sum to {} but total is {}", name, lines.to_display(), invoice.net.to_display()));
  }
  Money vat;
  Money net_by_category;
  for (const auto& summary : invoice.vat) {
    vat += summary.vat;
    net_by_category += summary.net;
  }
  if (vat != invoice.vat_total || net_by_category != invoice.net || invoice.gross != invoice.net + invoice.vat_total) {
    throw InvariantError(fmt::format("invoice {} VAT does not add up: net {}, VAT {} (categories {}), gross {}", name,
                                     invoice.net.to_display(), invoice.vat_total.to_display(), vat.to_display(),
                                     invoice.gross.to_display()));
  }
}

VolumeIndex index_volumes(std::span<const rating::DailyVolume> rows) {
  VolumeIndex index;
  index.reserve(rows.size());
  for (const auto& row : rows) index.emplace(row.id, &row);
  return index;
}

Line from_rated(const rating::InvoiceLine& rated, const VolumeIndex& by_id,
                std::span<const model::Agreement> agreements) {
  Line line;
  line.kind = rated.kind;
  line.service = rated.service;
  line.description = rated.description;
  line.quantity = rated.quantity;
  line.unit_price = rated.unit_price;
  line.exact_amount = rated.exact_amount;
  line.amount = rated.amount;
  line.vat = rated.vat;
  line.agreement_id = rated.agreement_id;
  line.agreement_version = rated.agreement_version;
  line.price_source = rated.price_source;
  line.exception_id = rated.exception_id;
  line.days = rated.days;
  if (!rated.exception_id.empty()) {
    for (const auto& agreement : agreements) {
      if (agreement.id != rated.agreement_id || agreement.version != rated.agreement_version) continue;
      for (const auto& exception : agreement.exceptions) {
        if (exception.id == rated.exception_id) line.exception_reason = exception.reason;
      }
    }
  }
  if (!rated.sources.empty()) {
    for (const auto& source : rated.sources) {
      const auto found = by_id.find(source.daily_volume_id);
      if (found == by_id.end()) {
        throw InvariantError(fmt::format("line \"{}\" rates daily_volume {} that was not read", rated.description,
                                         source.daily_volume_id));
      }
      const auto& row = *found->second;
      auto same = std::find_if(line.volumes.begin(), line.volumes.end(),
                               [&](const LineVolume& v) { return v.daily_volume_id == row.id; });
      if (same != line.volumes.end()) {
        same->quantity += source.quantity;
        continue;
      }
      line.volumes.push_back(
          LineVolume{row.id, row.service, row.day, join_tags(row.tags), row.business_days, source.quantity});
    }
  }
  return line;
}

}  // namespace costcover::invoice
