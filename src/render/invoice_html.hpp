// Printable HTML invoices (pure): one self-contained page (inline CSS, A4 print layout)
// per invoice or credit note, and the month's index page. A draft is watermarked (en
// "DRAFT · LUONNOS", fi "LUONNOS", sv "UTKAST") on every printed page and says so in its title; a credit note has no
// due date and no payment slip; the totals and the slip print together (one block a page
// break never splits) and every page is numbered "Page N / M" (A4 portrait). Everything comes from the
// values (invoice/printed.hpp), so the same values give byte-identical pages.
//
// The page prints in the invoice's language (PrintedInvoice::language: fi, sv, en; the
// texts are render/labels.hpp's): dates and amounts as the language writes them (fi, sv:
// 1.2.2027, 1 234,50). A final invoice prints its reference number (grouped by five) and
// RF reference; its payment slip, when the amount is positive, the virtual bank barcode
// (version 4) as digits and as a Code 128 barcode (render/bank_barcode.hpp). The index
// page is the finance office's and stays in English.
//
// A page's lines are grouped into sections, each with a heading row and a subtotal: the
// lines of one service (headed by its catalog name), fees and charges, corrections of
// earlier invoices, the cost-covering settlement. A new heading starts a new section.
#pragma once

#include <string>
#include <vector>

#include "invoice/printed.hpp"
#include "model/line_kind.hpp"
#include "render/locale.hpp"

namespace costcover::render {

enum class Section { service, fees_and_charges, corrections, settlement };

[[nodiscard]] Section section_of(model::LineKind kind, bool has_service);
// The heading row's text: the service's name (its id when the catalog has none), or the
// section's title in the language.
[[nodiscard]] std::string section_heading(const invoice::PrintedLine& line, Language language = Language::en);

// "<agency>-<period>-<number>.html", a draft "<agency>-<period>-draft-<VAT group>.html"
// (the exports put drafts in DIR/drafts/ and finals in DIR/final/).
[[nodiscard]] std::string invoice_file_name(const invoice::PrintedInvoice& invoice);

// The page of one invoice or credit note, issued by `provider`.
[[nodiscard]] std::string invoice_html(const invoice::Party& provider, const invoice::PrintedInvoice& invoice);

// index.html: one row per invoice of `period`, linking its page; titled as the drafts'
// index when `drafts`.
[[nodiscard]] std::string invoices_index_html(Month period, const std::vector<invoice::PrintedInvoice>& invoices,
                                              bool drafts = false);

}  // namespace costcover::render
