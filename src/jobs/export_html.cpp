// Printable HTML invoices: one self-contained page (inline CSS, A4 print layout) per
// invoice of the month, and an index. Everything comes from the database (provider,
// agency, invoice, lines, VAT rows), so the same database gives byte-identical pages.
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "db/query.hpp"
#include "jobs/export.hpp"

namespace costcover::jobs {
namespace {

// "1234.50" -> "1 234,50"-style grouping is Finnish; invoices here use the formats' '.'
// with thin grouping: "1 234.50".
std::string money(const std::string& text) { return Money::parse(text).to_display(); }

std::string price(const std::string& text) {
  // Unit prices keep 4 decimals only when they need them (at least 2).
  std::string value = text;
  const auto point = value.find('.');
  if (point != std::string::npos) {
    while (value.size() > point + 3 && value.back() == '0') value.pop_back();
  }
  return value;
}

std::string quantity(const std::string& text) {
  std::string out;
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = negative ? text.substr(1) : text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u2009";
    out += digits[i];
  }
  return (negative ? "\u2212" : "") + out;
}

constexpr const char* kStyle = R"CSS(
  @page { size: A4; margin: 16mm 14mm 18mm 14mm; }
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
  footer { margin-top: 18px; border-top: 1px solid #c9c9c9; padding-top: 6px; font-size: 7.5pt; color: #5f6368;
           display: flex; justify-content: space-between; }
  .watermark { position: absolute; top: 90mm; left: 0; right: 0; text-align: center; font-size: 70pt; color: rgba(179,38,30,.08);
               transform: rotate(-20deg); pointer-events: none; letter-spacing: .2em; }
  tr { page-break-inside: avoid; }
  @media print { body { background: #fff; padding: 0; } .page { box-shadow: none; max-width: none; padding: 0; } }
)CSS";

struct Party {
  std::string name, business_id, vat_id, street, postcode, city, country, einvoice_scheme, einvoice_id, iban, bic,
      branch, account_manager, orderer;
};

std::string address_block(const Party& party) {
  std::string out = "<div><b>" + html_escape(party.name) + "</b></div>";
  if (!party.street.empty()) out += "<div>" + html_escape(party.street) + "</div>";
  if (!party.city.empty()) {
    out += "<div>" + html_escape(party.postcode) + " " + html_escape(party.city) +
           (party.country.empty() || party.country == "FI" ? "" : ", " + html_escape(party.country)) + "</div>";
  }
  out += "<div class=\"muted\">Business ID " + html_escape(party.business_id) +
         (party.vat_id.empty() ? "" : " &middot; VAT " + html_escape(party.vat_id)) + "</div>";
  if (!party.einvoice_id.empty()) {
    out += "<div class=\"muted\">E-invoice address " + html_escape(party.einvoice_id) + " (" +
           html_escape(party.einvoice_scheme) + ")</div>";
  }
  return out;
}

std::string vat_label(const std::string& category, const std::string& rate) {
  if (category == "O") return "Not subject to VAT (O)";
  if (category == "E") return "VAT exempt (E)";
  if (category == "Z") return "Zero rated (Z)";
  if (category == "AE") return "Reverse charge (AE)";
  return fmt::format("VAT {} % ({})", price(rate), category);
}

}  // namespace

ExportResult export_html(soci::session& session, Month period, const std::string& dir) {
  const auto provider_rows =
      db::query(session,
                "SELECT name, business_id, coalesce(vat_id, ''), coalesce(details #>> '{address,street}', ''), "
                "coalesce(details #>> '{address,postcode}', ''), coalesce(details #>> '{address,city}', ''), "
                "coalesce(details #>> '{address,country}', ''), coalesce(details #>> '{einvoice,scheme}', ''), "
                "coalesce(details #>> '{einvoice,id}', ''), coalesce(details #>> '{payment,iban}', ''), "
                "coalesce(details #>> '{payment,bic}', '') FROM provider ORDER BY id LIMIT 1");
  if (provider_rows.empty()) throw std::runtime_error("no provider in the database; run `costcover contracts load`");
  Party provider;
  {
    const auto& r = provider_rows;
    provider = Party{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3),  r.text(0, 4), r.text(0, 5), r.text(0, 6),
                     r.text(0, 7), r.text(0, 8), r.text(0, 9), r.text(0, 10), "",           "",           ""};
  }
  const auto invoices = db::query(
      session,
      "SELECT i.id, coalesce(i.number, ''), i.status, i.kind, i.agency, i.vat_group, "
      "       coalesce(to_char(i.issue_date, 'YYYY-MM-DD'), ''), coalesce(to_char(i.due_date, 'YYYY-MM-DD'), ''), "
      "       i.payment_terms_days, i.buyer_reference, coalesce(i.agreement_id, ''), "
      "       coalesce(CAST(i.agreement_version AS text), ''), CAST(i.net_total AS text), CAST(i.vat_total AS text), "
      "       CAST(i.gross_total AS text), coalesce(c.number, ''), coalesce(i.credit_reason, ''), "
      "       a.name, a.business_id, a.branch, coalesce(a.account_manager, ''), "
      "       coalesce(a.details #>> '{address,street}', ''), coalesce(a.details #>> '{address,postcode}', ''), "
      "       coalesce(a.details #>> '{address,city}', ''), coalesce(a.details #>> '{address,country}', ''), "
      "       coalesce(a.details #>> '{einvoice,scheme}', ''), coalesce(a.details #>> '{einvoice,id}', ''), "
      "       coalesce((SELECT string_agg(x ->> 'name', ', ' ORDER BY x ->> 'name') FROM "
      "                 jsonb_array_elements(coalesce(a.details -> 'contacts', '[]'::jsonb)) x "
      "                 WHERE x ->> 'role' = 'orderer'), '') "
      "  FROM invoice i JOIN agency a ON a.id = i.agency LEFT JOIN invoice c ON c.id = i.credited_invoice_id "
      " WHERE i.period = $1 ORDER BY i.agency, i.kind DESC, i.vat_group, i.number NULLS FIRST, i.id",
      {period.to_string()});
  const auto lines = db::query(
      session,
      "SELECT l.invoice_id, l.line_no, l.kind, coalesce(l.service, ''), coalesce(s.name, ''), coalesce(s.unit, ''), "
      "       l.description, l.quantity, CAST(l.unit_price AS text), CAST(l.amount AS text), l.vat_category, "
      "       coalesce(CAST(l.vat_rate AS text), ''), coalesce(l.exception_id, ''), coalesce(l.exception_reason, ''), "
      "       coalesce(s.position, 1000000), coalesce(c.number, '') "
      "  FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id LEFT JOIN service s ON s.id = l.service "
      "  LEFT JOIN invoice c ON c.id = l.corrects_invoice_id "
      " WHERE i.period = $1 ORDER BY l.invoice_id, l.line_no",
      {period.to_string()});
  const auto vat_rows = db::query(session,
                                  "SELECT v.invoice_id, v.vat_category, coalesce(CAST(v.vat_rate AS text), ''), "
                                  "CAST(v.net_amount AS text), CAST(v.vat_amount AS text) FROM invoice_vat v "
                                  "JOIN invoice i ON i.id = v.invoice_id WHERE i.period = $1 "
                                  "ORDER BY v.invoice_id, v.vat_category, v.vat_rate NULLS FIRST",
                                  {period.to_string()});
  std::map<std::string, std::vector<std::size_t>> lines_of;
  for (std::size_t r = 0; r < lines.size(); ++r) lines_of[lines.text(r, 0)].push_back(r);
  std::map<std::string, std::vector<std::size_t>> vat_of;
  for (std::size_t r = 0; r < vat_rows.size(); ++r) vat_of[vat_rows.text(r, 0)].push_back(r);

  const std::filesystem::path folder = std::filesystem::path(dir) / "invoices";
  std::filesystem::create_directories(folder);
  ExportResult result;
  std::string index = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invoices " +
                      period.to_string() + "</title><style>" + kStyle +
                      "</style></head><body><div class=\"page\"><h1 style=\"text-align:left\">Invoices " +
                      period.to_string() +
                      "</h1><table class=\"lines\"><tr><th>Invoice</th><th>Status</th><th>Agency</th><th>VAT</th>"
                      "<th class=\"num\">Net</th><th class=\"num\">Total</th></tr>\n";
  std::map<std::string, int> draft_counter;
  for (std::size_t i = 0; i < invoices.size(); ++i) {
    const auto& id = invoices.text(i, 0);
    const std::string number = invoices.text(i, 1);
    const bool draft = invoices.text(i, 2) == "draft";
    const bool credit = invoices.text(i, 3) == "credit_note";
    const std::string agency = invoices.text(i, 4);
    const std::string group = invoices.text(i, 5);
    const std::string file = draft ? fmt::format("{}-{}-draft-{}.html", agency, period.to_string(), group)
                                   : fmt::format("{}-{}-{}.html", agency, period.to_string(), number);
    Party client{invoices.text(i, 17),
                 invoices.text(i, 18),
                 "",
                 invoices.text(i, 21),
                 invoices.text(i, 22),
                 invoices.text(i, 23),
                 invoices.text(i, 24),
                 invoices.text(i, 25),
                 invoices.text(i, 26),
                 "",
                 "",
                 invoices.text(i, 19),
                 invoices.text(i, 20),
                 invoices.text(i, 27)};
    const std::string title = credit ? "CREDIT NOTE" : "INVOICE";
    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" + html_escape(title) + " " +
            html_escape(draft ? "draft" : number) + " " + html_escape(agency) + " " + period.to_string() +
            "</title>\n<style>" + kStyle + "</style></head>\n<body><div class=\"page\">\n";
    if (draft) html += "<div class=\"watermark\">DRAFT</div>\n";
    html += "<header><div class=\"provider\"><div class=\"provider-name\">" + html_escape(provider.name) +
            "</div><small>" + html_escape(provider.street) + ", " + html_escape(provider.postcode) + " " +
            html_escape(provider.city) + "</small></div><h1>" + title +
            (draft ? "<span class=\"status\">DRAFT &ndash; NOT FOR PAYMENT</span>" : "") + "</h1></header>\n";
    html += "<div class=\"parties\"><div class=\"party\"><div class=\"label\">Bill to</div>" + address_block(client);
    if (!client.orderer.empty()) html += "<div class=\"muted\">Orderer: " + html_escape(client.orderer) + "</div>";
    html += "</div><div class=\"party\"><table class=\"meta\">";
    auto meta = [&](const std::string& key, const std::string& value) {
      html += "<tr><th>" + key + "</th><td>" + value + "</td></tr>";
    };
    meta(credit ? "Credit note number" : "Invoice number", draft ? "&ndash; (draft)" : html_escape(number));
    meta("Issue date", draft ? "&ndash;" : html_escape(invoices.text(i, 6)));
    if (!credit) meta("Due date", draft ? "&ndash;" : html_escape(invoices.text(i, 7)));
    meta("Billing period", period.to_string());
    meta("Buyer reference", html_escape(invoices.text(i, 9)));
    if (!invoices.text(i, 10).empty()) {
      meta("Agreement", html_escape(invoices.text(i, 10)) + " v" + html_escape(invoices.text(i, 11)));
    }
    if (!credit) meta("Payment terms", html_escape(invoices.text(i, 8)) + " days net");
    if (credit) meta("Credits invoice", html_escape(invoices.text(i, 15)));
    if (!client.account_manager.empty()) meta("Account manager", html_escape(client.account_manager));
    html += "</table></div></div>\n";
    if (credit) html += "<p><b>Reason:</b> " + html_escape(invoices.text(i, 16)) + "</p>\n";

    html +=
        "<table class=\"lines\"><thead><tr><th>#</th><th>Description</th><th class=\"num\">Quantity</th>"
        "<th class=\"num\">Unit price</th><th class=\"num\">VAT</th><th class=\"num\">Amount (EUR)</th></tr></thead>"
        "<tbody>\n";
    std::map<std::string, std::string> exceptions;  // id -> reason, in id order
    std::string current_group;
    Money group_sum;
    bool group_open = false;
    auto close_group = [&] {
      if (group_open) {
        html += "<tr class=\"subtotal\"><td></td><td colspan=\"4\">Subtotal</td><td class=\"num\">" +
                group_sum.to_display() + "</td></tr>\n";
      }
    };
    const auto found = lines_of.find(id);
    const std::vector<std::size_t> none;
    const auto& indexes = found != lines_of.end() ? found->second : none;
    for (const std::size_t r : indexes) {
      const std::string kind = lines.text(r, 2);
      std::string heading;
      if (kind == "correction") {
        heading = "Corrections of earlier invoices";
      } else if (kind == "settlement") {
        heading = "Cost-covering settlement";
      } else if (!lines.text(r, 3).empty()) {
        heading = lines.text(r, 4).empty() ? lines.text(r, 3) : lines.text(r, 4);
      } else {
        heading = "Fees and charges";
      }
      if (heading != current_group) {
        close_group();
        current_group = heading;
        group_sum = Money{};
        group_open = true;
        html += "<tr class=\"group\"><td colspan=\"6\">" + html_escape(heading) + "</td></tr>\n";
      }
      group_sum += Money::parse(lines.text(r, 9));
      const std::string unit = lines.text(r, 5);
      const bool priced = kind == "usage" || kind == "over_limit" || kind == "true_up" ||
                          (kind == "correction" && lines.text(r, 7) != "1");
      html += "<tr><td>" + html_escape(lines.text(r, 1)) + "</td><td>" + html_escape(lines.text(r, 6));
      if (!lines.text(r, 12).empty()) {
        exceptions[lines.text(r, 12)] = lines.text(r, 13);
        html += " <span class=\"exc\">[" + html_escape(lines.text(r, 12)) + "]</span>";
      }
      html += "</td><td class=\"num\">" + quantity(lines.text(r, 7)) +
              (priced && !unit.empty() ? " " + html_escape(unit) : "") + "</td><td class=\"num\">" +
              (priced ? price(lines.text(r, 8)) : "") + "</td><td class=\"num\">" +
              (lines.text(r, 10) == "O" ? "O" : price(lines.text(r, 11)) + " %") + "</td><td class=\"num\">" +
              money(lines.text(r, 9)) + "</td></tr>\n";
    }
    close_group();
    html += "</tbody></table>\n";

    html += "<div class=\"bottom\"><div class=\"notes\">";
    if (!exceptions.empty()) {
      html += "<div class=\"label\">Agreement exceptions applied</div><ul>";
      for (const auto& [exception, reason] : exceptions) {
        html +=
            "<li><b>" + html_escape(exception) + "</b>" + (reason.empty() ? "" : ": " + html_escape(reason)) + "</li>";
      }
      html += "</ul>";
    }
    if (group == "O") {
      html +=
          "<div class=\"label\">VAT</div><p>Services between state agencies are not subject to VAT "
          "(EN 16931 category O).</p>";
    }
    html += "</div><div class=\"totals\"><table>";
    const auto vat_found = vat_of.find(id);
    if (vat_found != vat_of.end()) {
      for (const std::size_t r : vat_found->second) {
        html += "<tr><td>" + vat_label(vat_rows.text(r, 1), vat_rows.text(r, 2)) + ", net</td><td class=\"num\">" +
                money(vat_rows.text(r, 3)) + "</td></tr>";
        if (vat_rows.text(r, 1) != "O") {
          html += "<tr><td>VAT " + price(vat_rows.text(r, 2)) + " %</td><td class=\"num\">" +
                  money(vat_rows.text(r, 4)) + "</td></tr>";
        }
      }
    }
    html += "<tr><td>Total net</td><td class=\"num\">" + money(invoices.text(i, 12)) + "</td></tr>";
    html += "<tr><td>Total VAT</td><td class=\"num\">" + money(invoices.text(i, 13)) + "</td></tr>";
    html += "<tr class=\"grand\"><td>" + std::string(credit ? "Total credited (EUR)" : "Total to pay (EUR)") +
            "</td><td class=\"num\">" + money(invoices.text(i, 14)) + "</td></tr></table></div></div>\n";
    if (!credit) {
      html += "<div class=\"payment\"><div>Payee<b>" + html_escape(provider.name) + "</b></div>";
      if (!provider.iban.empty()) {
        html += "<div>IBAN<b>" + html_escape(provider.iban) + "</b></div><div>BIC<b>" + html_escape(provider.bic) +
                "</b></div>";
      }
      html += "<div>Reference<b>" + html_escape(draft ? std::string("(given at finalisation)") : number) +
              "</b></div><div>Due date<b>" + (draft ? std::string("&ndash;") : html_escape(invoices.text(i, 7))) +
              "</b></div><div>Amount<b>" + money(invoices.text(i, 14)) + " EUR</b></div></div>\n";
    }
    html += "<footer><span>" + html_escape(provider.name) + " &middot; Business ID " +
            html_escape(provider.business_id) +
            (provider.vat_id.empty() ? "" : " &middot; VAT " + html_escape(provider.vat_id)) +
            "</span><span>E-invoice " + html_escape(provider.einvoice_id) + "</span></footer>\n";
    html += "</div></body></html>\n";

    const auto path = folder / file;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << html;
    if (!out) throw std::runtime_error("cannot write " + path.string());
    result.files.push_back(path.string());
    ++result.invoices;
    result.lines += static_cast<int>(indexes.size());
    index += "<tr><td><a href=\"" + html_escape(file) + "\">" + html_escape(draft ? std::string("draft") : number) +
             "</a></td><td>" + html_escape(invoices.text(i, 2)) + (credit ? " credit note" : "") + "</td><td>" +
             html_escape(agency) + " " + html_escape(client.name) + "</td><td>" + html_escape(group) +
             "</td><td class=\"num\">" + money(invoices.text(i, 12)) + "</td><td class=\"num\">" +
             money(invoices.text(i, 14)) + "</td></tr>\n";
  }
  index += "</table></div></body></html>\n";
  std::ofstream out(folder / "index.html", std::ios::binary | std::ios::trunc);
  out << index;
  result.files.push_back((folder / "index.html").string());
  return result;
}

}  // namespace costcover::jobs
