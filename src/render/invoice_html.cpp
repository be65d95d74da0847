#include "render/invoice_html.hpp"

#include <map>

#include <fmt/format.h>

#include "core/money.hpp"
#include "core/reference.hpp"
#include "core/text.hpp"
#include "render/bank_barcode.hpp"
#include "render/labels.hpp"
#include "render/locale.hpp"

namespace costcover::render {
namespace {

using invoice::Party;
using invoice::PrintedInvoice;
using invoice::PrintedLine;

std::string text(Label which, Language language) { return std::string(label(which, language)); }

// Amounts: en as before (to_display), fi and sv with the decimal comma (render/locale).
std::string money(Money amount, Language language) {
  return language == Language::en ? amount.to_display() : format_money(amount, language);
}

// A decimal text with ',' for fi and sv.
std::string decimal(std::string value, Language language) {
  if (language != Language::en) {
    for (auto& c : value) {
      if (c == '.') c = ',';
    }
  }
  return value;
}

// Unit prices and VAT rates keep 4 decimals only when they need them (at least 2).
std::string price(const std::string& text) {
  std::string value = text;
  const auto point = value.find('.');
  if (point != std::string::npos) {
    while (value.size() > point + 3 && value.back() == '0') value.pop_back();
  }
  return value;
}

// Digits in groups of three with thin spaces; a minus sign for negatives.
std::string quantity(std::int64_t value) {
  const std::string text = std::to_string(value);
  std::string out;
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = negative ? text.substr(1) : text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u2009";
    out += digits[i];
  }
  return (negative ? "\u2212" : "") + out;
}

std::string date_or_dash(const std::optional<Date>& day, bool draft, Language language) {
  return draft || !day ? std::string("&ndash;") : html_escape(format_day(*day, language));
}

std::string page_rule(Language language) {
  return R"CSS(
  @page { size: A4 portrait; margin: 16mm 14mm 18mm 14mm;
          @bottom-right { content: ")CSS" +
         text(Label::page, language) +
         R"CSS( " counter(page) " / " counter(pages); font-size: 7.5pt; color: #5f6368; } })CSS";
}

constexpr const char* kStyle = R"CSS(
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #1d1d1f;
         margin: 0; padding: 24px; background: #f2f2f2; }
  .page { background: #fff; max-width: 190mm; margin: 0 auto; padding: 14mm 12mm; box-shadow: 0 1px 6px rgba(0,0,0,.15);
          position: relative; }
  header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #0b3d6b;
           padding-bottom: 8px; }
  .provider-name { font-size: 13pt; font-weight: bold; color: #0b3d6b; max-width: 105mm; }
  .provider small, .muted { color: #5f6368; }
  h1 { font-size: 20pt; letter-spacing: .06em; margin: 0; color: #0b3d6b; text-align: right; }
  h1 .status { display: block; font-size: 9pt; letter-spacing: .1em; color: #b3261e; }
  .parties { display: flex; justify-content: space-between; margin: 14px 0 10px; gap: 16px; }
  .party { width: 50%; }
  .label { font-size: 7.5pt; text-transform: uppercase; letter-spacing: .08em; color: #5f6368; margin-bottom: 2px; }
  table.meta { border-collapse: collapse; font-size: 9pt; }
  table.meta th { text-align: left; font-weight: normal; color: #5f6368; padding: 1px 10px 1px 0; }
  table.meta td { padding: 1px 0; font-weight: bold; }
  table.lines { width: 100%; border-collapse: collapse; margin-top: 10px; font-size: 9pt; }
  table.lines th { text-align: left; border-bottom: 1px solid #0b3d6b; padding: 4px 4px; font-size: 8pt;
                   text-transform: uppercase; letter-spacing: .05em; color: #0b3d6b; }
  table.lines td { padding: 3px 4px; vertical-align: top; border-bottom: 1px solid #e3e3e3; }
  table.lines tr.group td { background: #eef3f8; font-weight: bold; border-bottom: none; padding-top: 6px; }
  table.lines tr.subtotal td { font-style: italic; color: #5f6368; border-bottom: 1px solid #c9c9c9; }
  .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .exc { color: #7a4d00; font-size: 8pt; }
  .settle { break-inside: avoid; page-break-inside: avoid; }
  .bottom { display: flex; justify-content: space-between; gap: 16px; margin-top: 14px; page-break-inside: avoid; }
  .notes { width: 55%; font-size: 8.5pt; }
  .notes ul { margin: 2px 0 8px 16px; padding: 0; }
  .totals { width: 42%; }
  .totals table { width: 100%; border-collapse: collapse; font-size: 9pt; }
  .totals td { padding: 2px 4px; }
  .totals tr.grand td { font-size: 12pt; font-weight: bold; border-top: 2px solid #0b3d6b; padding-top: 4px; }
  .payment { margin-top: 16px; border: 1px solid #0b3d6b; padding: 8px 10px; display: flex; gap: 24px; flex-wrap: wrap;
             page-break-inside: avoid; font-size: 9pt; }
  .payment div b { display: block; font-size: 10pt; }
  .barcode-box { flex-basis: 100%; } .barcode-box svg { display: block; max-width: 100%; height: 12mm; }
  .barcode-digits { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; letter-spacing: .02em; }
  footer { margin-top: 18px; border-top: 1px solid #c9c9c9; padding-top: 6px; font-size: 7.5pt; color: #5f6368;
           display: flex; justify-content: space-between; }
  .watermark { position: fixed; top: 110mm; left: 0; right: 0; text-align: center; font-size: 64pt; font-weight: bold;
               color: rgba(179,38,30,.14); transform: rotate(-35deg); pointer-events: none; letter-spacing: .15em;
               z-index: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; white-space: nowrap; }
  tr { page-break-inside: avoid; }
  @media print { body { background: #fff; padding: 0; } .page { box-shadow: none; max-width: none; padding: 0; } }
)CSS";

std::string address_block(const Party& party, Language lang) {
  std::string out = "<div><b>" + html_escape(party.name) + "</b></div>";
  if (!party.street.empty()) out += "<div>" + html_escape(party.street) + "</div>";
  if (!party.city.empty()) {
    out += "<div>" + html_escape(party.postcode) + " " + html_escape(party.city) +
           (party.country.empty() || party.country == "FI" ? "" : ", " + html_escape(party.country)) + "</div>";
  }
  out += "<div class=\"muted\">" + text(Label::business_id, lang) + " " + html_escape(party.business_id) +
         (party.vat_id.empty() ? "" : " &middot; " + text(Label::vat_id, lang) + " " + html_escape(party.vat_id)) +
         "</div>";
  if (!party.einvoice_id.empty()) {
    out += "<div class=\"muted\">" + text(Label::einvoice_address, lang) + " " + html_escape(party.einvoice_id) + " (" +
           html_escape(party.einvoice_scheme) + ")</div>";
  }
  return out;
}

std::string vat_label(const std::string& category, const std::string& rate, Language lang) {
  if (category == "O") return text(Label::vat_category_o, lang);
  if (category == "E") return text(Label::vat_category_e, lang);
  if (category == "Z") return text(Label::vat_category_z, lang);
  if (category == "AE") return text(Label::vat_category_ae, lang);
  return fmt::format("{} {} % ({})", text(Label::vat, lang), decimal(price(rate), lang), category);
}

Language language_of(const PrintedInvoice& invoice) { return language_or_default(invoice.language); }

bool is_draft(const PrintedInvoice& invoice) { return invoice.status == invoice::InvoiceStatus::draft; }
bool is_credit(const PrintedInvoice& invoice) { return invoice.kind == invoice::InvoiceKind::credit_note; }

// The document head, the draft watermark and the header with the provider and the title.
std::string page_top(const Party& provider, const PrintedInvoice& invoice) {
  const bool draft = is_draft(invoice);
  const Language lang = language_of(invoice);
  const std::string title = text(is_credit(invoice) ? Label::credit_note_title : Label::invoice_title, lang);
  std::string html = "<!DOCTYPE html>\n<html lang=\"" + to_string(lang) + "\"><head><meta charset=\"utf-8\">\n<title>" +
                     (draft ? text(Label::draft_title, lang) + " " : std::string()) + title + " " +
                     (draft ? std::string() : html_escape(invoice.number) + " ") + html_escape(invoice.agency) + " " +
                     invoice.period.to_string() + "</title>\n<style>" + page_rule(lang) + kStyle +
                     "</style></head>\n<body><div class=\"page\">\n";
  if (draft) html += "<div class=\"watermark\">" + text(Label::draft_watermark, lang) + "</div>\n";
  html += R"(<header><div class="provider"><div class="provider-name">)" + html_escape(provider.name) +
          "</div><small>" + html_escape(provider.street) + ", " + html_escape(provider.postcode) + " " +
          html_escape(provider.city) + "</small></div><h1>" + title +
          (draft ? "<span class=\"status\">" + text(Label::draft_not_for_payment, lang) + "</span>" : "") +
          "</h1></header>\n";
  return html;
}

// The buyer's address and the table of numbers, dates and references; a credit note's reason.
std::string parties(const PrintedInvoice& invoice) {
  const bool draft = is_draft(invoice);
  const bool credit = is_credit(invoice);
  const Party& buyer = invoice.buyer;
  const Language lang = language_of(invoice);
  auto say = [lang](Label which) { return text(which, lang); };
  std::string html = R"(<div class="parties"><div class="party"><div class="label">)" + say(Label::bill_to) + "</div>" +
                     address_block(buyer, lang);
  if (!buyer.orderer.empty()) {
    html += "<div class=\"muted\">" + say(Label::orderer) + ": " + html_escape(buyer.orderer) + "</div>";
  }
  html += R"(</div><div class="party"><table class="meta">)";
  auto meta = [&](const std::string& key, const std::string& value) {
    html += "<tr><th>" + key + "</th><td>" + value + "</td></tr>";
  };
  meta(say(credit ? Label::credit_note_number : Label::invoice_number),
       draft ? say(Label::draft_number) : html_escape(invoice.number));
  meta(say(Label::issue_date), date_or_dash(invoice.issue_date, draft, lang));
  if (!credit) meta(say(Label::due_date), date_or_dash(invoice.due_date, draft, lang));
  meta(say(Label::billing_period), invoice.period.to_string());
  meta(say(Label::buyer_reference), html_escape(invoice.buyer_reference));
  if (!invoice.agreement_id.empty()) {
    meta(say(Label::agreement),
         html_escape(invoice.agreement_id) + " " + say(Label::version_prefix) + html_escape(invoice.agreement_version));
  }
  if (!credit) {
    meta(say(Label::payment_terms),
         html_escape(std::to_string(invoice.payment_terms_days)) + " " + say(Label::days_net));
  }
  if (!draft && !credit && !invoice.reference.empty()) {
    meta(say(Label::reference_number), html_escape(group_reference(invoice.reference)));
  }
  if (credit && !invoice.credited_number.empty())
    meta(say(Label::credits_invoice), html_escape(invoice.credited_number));
  if (!credit && !invoice.replaces_number.empty()) {
    meta(say(Label::replaces_invoice), html_escape(invoice.replaces_number));
  }
  if (!buyer.account_manager.empty()) meta(say(Label::account_manager), html_escape(buyer.account_manager));
  html += "</table></div></div>\n";
  if (credit) html += "<p><b>" + say(Label::reason) + ":</b> " + html_escape(invoice.credit_reason) + "</p>\n";
  return html;
}

// One line's row. Priced lines (and corrections of them, quantity other than 1) show the
// quantity's unit and the unit price.
std::string line_row(const PrintedLine& line, Language lang) {
  const bool priced = model::is_priced(line.kind) || (line.kind == model::LineKind::correction && line.quantity != 1);
  std::string html =
      "<tr><td>" + html_escape(std::to_string(line.line_no)) + "</td><td>" + html_escape(line.description);
  if (!line.exception_id.empty()) html += " <span class=\"exc\">[" + html_escape(line.exception_id) + "]</span>";
  if (line.kind == model::LineKind::correction && !line.corrects_number.empty()) {
    html += " <span class=\"muted\">(" + text(Label::corrects_invoice, lang) + " " + html_escape(line.corrects_number) +
            ")</span>";
  }
  html += "</td><td class=\"num\">" + quantity(line.quantity) +
          (priced && !line.unit.empty() ? " " + html_escape(std::string(unit_label(line.unit, lang))) : "") +
          "</td><td class=\"num\">" + (priced ? decimal(price(line.unit_price), lang) : "") +
          "</td><td class=\"num\">" + (line.vat_category == "O" ? "O" : decimal(price(line.vat_rate), lang) + " %") +
          "</td><td class=\"num\">" + money(line.amount, lang) + "</td></tr>\n";
  return html;
}

// The lines table: a heading row and a subtotal row around each section's lines.
std::string lines_table(const PrintedInvoice& invoice) {
  const Language lang = language_of(invoice);
  std::string html = "<table class=\"lines\"><thead><tr><th>#</th><th>" + text(Label::col_description, lang) +
                     "</th><th class=\"num\">" + text(Label::col_quantity, lang) + "</th><th class=\"num\">" +
                     text(Label::col_unit_price, lang) + "</th><th class=\"num\">" + text(Label::col_vat, lang) +
                     "</th><th class=\"num\">" + text(Label::col_amount, lang) + "</th></tr></thead><tbody>\n";
  std::string current;
  Money sum;
  bool open = false;
  auto close_section = [&] {
    if (open) {
      html += R"(<tr class="subtotal"><td></td><td colspan="4">)" + text(Label::subtotal, lang) +
              R"(</td><td class="num">)" + money(sum, lang) + "</td></tr>\n";
    }
  };
  for (const auto& line : invoice.lines) {
    const std::string heading = section_heading(line, lang);
    if (!open || heading != current) {
      close_section();
      current = heading;
      sum = Money{};
      open = true;
      html += R"(<tr class="group"><td colspan="6">)" + html_escape(heading) + "</td></tr>\n";
    }
    sum += line.amount;
    html += line_row(line, lang);
  }
  close_section();
  return html + "</tbody></table>\n";
}

// The exceptions applied (by id, each once) and the VAT note of group O.
std::string notes(const PrintedInvoice& invoice) {
  std::map<std::string, std::string> exceptions;  // id -> reason, in id order
  for (const auto& line : invoice.lines) {
    if (!line.exception_id.empty()) exceptions[line.exception_id] = line.exception_reason;
  }
  const Language lang = language_of(invoice);
  std::map<std::string, bool> exemptions;  // category E's reasons, each once
  for (const auto& line : invoice.lines) {
    if (!line.vat_exemption_reason.empty()) exemptions[line.vat_exemption_reason] = true;
  }
  std::string html = "<div class=\"notes\">";
  if (!exceptions.empty()) {
    html += "<div class=\"label\">" + text(Label::exceptions_applied, lang) + "</div><ul>";
    for (const auto& [exception, reason] : exceptions) {
      html +=
          "<li><b>" + html_escape(exception) + "</b>" + (reason.empty() ? "" : ": " + html_escape(reason)) + "</li>";
    }
    html += "</ul>";
  }
  if (invoice.group == invoice::VatGroup::not_subject) {
    html += "<div class=\"label\">" + text(Label::vat, lang) + "</div><p>" + text(Label::vat_note_o, lang) + "</p>";
  }
  if (!exemptions.empty()) {
    html += "<div class=\"label\">" + text(Label::exemption_reason, lang) + "</div><ul>";
    for (const auto& [reason, unused] : exemptions) html += "<li>" + html_escape(reason) + "</li>";
    html += "</ul>";
  }
  return html + "</div>";
}

std::string totals(const PrintedInvoice& invoice) {
  const Language lang = language_of(invoice);
  std::string html = "<div class=\"totals\"><table>";
  for (const auto& row : invoice.vat) {
    html += "<tr><td>" + vat_label(row.category, row.rate, lang) + ", " + text(Label::net_suffix, lang) +
            "</td><td class=\"num\">" + money(row.net, lang) + "</td></tr>";
    if (row.category != "O") {
      html += "<tr><td>" + text(Label::vat, lang) + " " + decimal(price(row.rate), lang) + " %</td><td class=\"num\">" +
              money(row.vat, lang) + "</td></tr>";
    }
  }
  html +=
      "<tr><td>" + text(Label::total_net, lang) + "</td><td class=\"num\">" + money(invoice.net, lang) + "</td></tr>";
  html += "<tr><td>" + text(Label::total_vat, lang) + "</td><td class=\"num\">" + money(invoice.vat_total, lang) +
          "</td></tr>";
  html += "<tr class=\"grand\"><td>" + text(is_credit(invoice) ? Label::total_credited : Label::total_to_pay, lang) +
          "</td><td class=\"num\">" + money(invoice.gross, lang) + "</td></tr></table></div>";
  return html;
}

// The payment box of an invoice (a credit note has none).
std::string payment(const Party& provider, const PrintedInvoice& invoice) {
  if (is_credit(invoice)) return "";
  const bool draft = is_draft(invoice);
  const Language lang = language_of(invoice);
  auto say = [lang](Label which) { return text(which, lang); };
  std::string html = R"(<div class="payment" id="payment-slip"><div>)" + say(Label::payee) + "<b>" +
                     html_escape(provider.name) + "</b></div>";
  if (!provider.iban.empty()) {
    html += "<div>" + say(Label::iban) + "<b>" + html_escape(provider.iban) + "</b></div><div>" + say(Label::bic) +
            "<b>" + html_escape(provider.bic) + "</b></div>";
  }
  const bool referenced = !draft && !invoice.reference.empty();
  html += "<div>" + say(Label::reference_number) + "<b>" +
          (referenced ? html_escape(group_reference(invoice.reference)) : say(Label::reference_at_finalisation)) +
          "</b></div>";
  if (referenced && !invoice.rf_reference.empty()) {
    html += "<div>" + say(Label::rf_reference) + "<b>" + html_escape(group_rf_reference(invoice.rf_reference)) +
            "</b></div>";
  }
  html += "<div>" + say(Label::due_date) + "<b>" + date_or_dash(invoice.due_date, draft, lang) + "</b></div><div>" +
          say(Label::amount) + "<b>" + money(invoice.gross, lang) + " " + say(Label::currency_suffix) + "</b></div>";
  // The virtual bank barcode: final invoices with a positive amount, a reference and a
  // Finnish IBAN (version 4, the national reference).
  if (referenced && invoice.gross.cents() > 0 && !provider.iban.empty()) {
    try {
      const std::string digits = bank_barcode_v4(provider.iban, invoice.gross, invoice.reference, invoice.due_date);
      html += R"(<div class="barcode-box" id="bank-barcode">)" + say(Label::barcode) + R"(<b class="barcode-digits">)" +
              digits + "</b>" + code128c_svg(digits) + "</div>";
    } catch (const InputError&) {
      // An IBAN that is not Finnish has no bank barcode; the slip prints without it.
    }
  }
  html += "</div>\n";
  return html;
}

std::string footer(const Party& provider, Language lang) {
  return "<footer><span>" + html_escape(provider.name) + " &middot; " + text(Label::business_id, lang) + " " +
         html_escape(provider.business_id) +
         (provider.vat_id.empty() ? ""
                                  : " &middot; " + text(Label::vat_id, lang) + " " + html_escape(provider.vat_id)) +
         "</span><span>" + text(Label::einvoice, lang) + " " + html_escape(provider.einvoice_id) + "</span></footer>\n";
}

}  // namespace

Section section_of(model::LineKind kind, bool has_service) {
  if (kind == model::LineKind::correction) return Section::corrections;
  if (kind == model::LineKind::settlement) return Section::settlement;
  // Fees and charges name the service they pay for, and still print in their own section.
  if (kind == model::LineKind::fee || kind == model::LineKind::charge) return Section::fees_and_charges;
  return has_service ? Section::service : Section::fees_and_charges;
}

std::string section_heading(const PrintedLine& line, Language language) {
  switch (section_of(line.kind, !line.service.empty())) {
    case Section::corrections:
      return text(Label::corrections, language);
    case Section::settlement:
      return text(Label::settlement, language);
    case Section::service:
      return line.service_name.empty() ? line.service : line.service_name;
    case Section::fees_and_charges:
      break;
  }
  return text(Label::fees_and_charges, language);
}

std::string invoice_file_name(const PrintedInvoice& invoice) {
  return is_draft(invoice)
             ? fmt::format("{}-{}-draft-{}.html", invoice.agency, invoice.period.to_string(), to_string(invoice.group))
             : fmt::format("{}-{}-{}.html", invoice.agency, invoice.period.to_string(), invoice.number);
}

std::string invoice_html(const Party& provider, const PrintedInvoice& invoice) {
  // The totals and the payment slip are one block that a page break never splits: the
  // slip is never alone on a page.
  return page_top(provider, invoice) + parties(invoice) + lines_table(invoice) +
         R"(<div class="settle"><div class="bottom" id="totals">)" + notes(invoice) + totals(invoice) + "</div>\n" +
         payment(provider, invoice) + "</div>\n" + footer(provider, language_of(invoice)) + "</div></body></html>\n";
}

std::string invoices_index_html(Month period, const std::vector<PrintedInvoice>& invoices, bool drafts) {
  const std::string title = (drafts ? "Draft invoices (LUONNOS) " : "Invoices ") + period.to_string();
  std::string index = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
                      "</title><style>" + page_rule(Language::en) + kStyle +
                      R"(</style></head><body><div class="page"><h1 style="text-align:left">)" + title +
                      "</h1><table class=\"lines\"><tr><th>Invoice</th><th>Status</th><th>Agency</th><th>VAT</th>"
                      "<th class=\"num\">Net</th><th class=\"num\">Total</th></tr>\n";
  for (const auto& invoice : invoices) {
    const bool draft = is_draft(invoice);
    index += "<tr><td><a href=\"" + html_escape(invoice_file_name(invoice)) + "\">" +
             html_escape(draft ? std::string("draft") : invoice.number) + "</a></td><td>" +
             html_escape(to_string(invoice.status)) + (is_credit(invoice) ? " credit note" : "") + "</td><td>" +
             html_escape(invoice.agency) + " " + html_escape(invoice.buyer.name) + "</td><td>" +
             html_escape(to_string(invoice.group)) + "</td><td class=\"num\">" + invoice.net.to_display() +
             "</td><td class=\"num\">" + invoice.gross.to_display() + "</td></tr>\n";
  }
  return index + "</table></div></body></html>\n";
}

}  // namespace costcover::render
