// The invoice tables (invoice, invoice_line, invoice_vat, invoice_line_volume,
// invoice_counter): every statement on them, and the reads billing makes of other parts'
// tables through named SQL (billing_readiness(), sql/061) or their change log
// (volume_change). Plain values in and out: invoice/ values, and text only at this
// boundary (line kinds, VAT codes and groups, statuses are parsed and printed here).
// Writes go through COPY. Call inside the caller's transaction (the jobs' run_job).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "costing/settlement_year.hpp"
#include "invoice/billing.hpp"
#include "invoice/corrections.hpp"
#include "invoice/document.hpp"
#include "invoice/invoice.hpp"
#include "invoice/printed.hpp"
#include "rating/rating.hpp"

namespace costcover::store {

// --- Writing drafts ---------------------------------------------------------------------

// Inserts invoices (status 'draft', lines, VAT rows, lineage) with COPY; returns their ids
// in order. Call inside the caller's transaction.
std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows = nullptr);

// Deletes the month's draft invoices (kind invoice) of `agency`, or of every agency;
// returns how many. Final invoices are never touched (the triggers would refuse it).
std::int64_t delete_month_drafts(soci::session& session, Month period, const std::optional<std::string>& agency);

// Statistics true for what was just written: the next run's reads of the invoice tables
// (corrections, lineage) are planned on them.
void analyze_invoices(soci::session& session);

// --- What billing reads -----------------------------------------------------------------

// billing_readiness(period, agency) of sql/061_billing_readiness.sql.
[[nodiscard]] invoice::Readiness billing_readiness(soci::session& session, Month period,
                                                   const std::optional<std::string>& agency);

// agency -> month (YYYY-MM) -> its final invoices of kind invoice (VAT group O first).
using FinalInvoices = std::map<std::string, std::map<std::string, std::vector<invoice::FinalInvoiceRef>>>;
// The final invoices of months up to and including `period`, those credited in full aside
// (they no longer bill their month).
[[nodiscard]] FinalInvoices final_invoices_until(soci::session& session, Month period,
                                                 const std::optional<std::string>& agency);

// The (agency, month) pairs of final months before `period` to re-rate: those whose
// counted volumes changed after they were finalised, in the month or the 11 before it (a
// yearly window's earlier months move tier positions and true-ups), and those whose
// agency's agreements were loaded after they were finalised.
[[nodiscard]] std::set<std::pair<std::string, std::string>> changed_since_final(
    soci::session& session, Month period, const std::optional<std::string>& agency);

// agency -> month -> the lines that billed it (invoice::BilledLine).
using BilledLines = std::map<std::string, std::map<std::string, std::vector<invoice::BilledLine>>>;
// What already billed the final months before `period` of `agencies`: the lines of their
// final invoices (corrections aside), and the corrections of them (on final invoices, or
// on drafts of other months than `period`), each correction as the kind it corrects; with
// their lineage before `period`. Each line net of the credit notes crediting it (quantity
// and amount plus those of its credit lines); a line credited to zero is left out, and
// with it every line of an invoice credited in full (docs/invoicing.md, "Credit notes").
[[nodiscard]] BilledLines billed_lines(soci::session& session, Month period, const std::vector<std::string>& agencies);

// agency -> net total of its invoices (kind invoice, drafts and finals) of `period`.
[[nodiscard]] std::map<std::string, Money> month_net_totals(soci::session& session, Month period,
                                                            const std::optional<std::string>& agency);

// --- Finalisation, numbering and credit notes -------------------------------------------

// The month's drafts of `agency` or all (invoices, and the settlement's credit notes),
// locked FOR UPDATE, in numbering order: agency, VAT group (O first), id.
[[nodiscard]] std::vector<std::int64_t> lock_month_drafts(soci::session& session, Month period,
                                                          const std::optional<std::string>& agency);

// A draft among `ids` whose agency, month and VAT group already has a final invoice that
// is not credited in full (sql/069: invoice_fully_credited) (settlement invoices, which a re-run of `settle` may add to
// a settled year, aside), and that final invoice's number.
struct SecondFinal {
  std::string agency;
  std::string period;  // YYYY-MM
  invoice::VatGroup group = invoice::VatGroup::not_subject;
  std::string final_number;
};
[[nodiscard]] std::optional<SecondFinal> find_second_final(soci::session& session,
                                                           const std::vector<std::int64_t>& ids);

// agency -> VAT group -> the latest final invoice of `period` credited in full (sql/069:
// invoice_fully_credited), settlement invoices aside: the month and group it released for
// a new invoice, which replaces it (Invoice::replaces_invoice_id).
[[nodiscard]] std::map<std::string, std::map<invoice::VatGroup, std::int64_t>> released_finals(
    soci::session& session, Month period, const std::optional<std::string>& agency);

// Numbers the drafts `ids` in this order, gap-free in the sequence of the issue date's
// year ('YYYY-NNNNNN', from invoice_counter under a row lock held until the caller's
// transaction ends), sets the issue date and the due date (issue date + payment terms)
// and makes them final. InvariantError when the year's numbers would run out or a draft
// changed meanwhile.
[[nodiscard]] std::vector<invoice::NumberedInvoice> assign_numbers(soci::session& session,
                                                                   const std::vector<std::int64_t>& ids,
                                                                   Date issue_date);

// The invoice or credit note numbered `number`, its row locked FOR UPDATE, with its lines
// and their lineage, the numbers of the credit notes crediting it (credited_by), what they
// took of each line (credited) and the final invoices' correction lines of it that are
// not credited to zero (corrected_on), and the language its particulars froze (language).
// Nothing when no invoice has that number.
[[nodiscard]] std::optional<invoice::Document> lock_invoice_by_number(soci::session& session,
                                                                      const std::string& number);

// --- What the exports read -------------------------------------------------------------

// Every invoice and credit note of `period` with its buyer, lines and VAT rows, in export
// order, and the provider (invoice/printed.hpp).
[[nodiscard]] invoice::MonthInvoices read_month_invoices(soci::session& session, Month period);

// --- Other ------------------------------------------------------------------------------

// Today in Helsinki, according to the database server's clock (for CLI defaults only).
[[nodiscard]] Date helsinki_today(soci::session& session);

// ---- settlement (costs) ----------------------------------------------------------------
// What `costcover settle --year Y` reads from and writes to the invoice tables, through
// the functions of sql/062_settlement.sql (their header has the decision tables). The
// settlement lines of Y are those of kind settlement with price_source "settlement Y";
// the drafts settle writes go in through insert_invoices.

// The revenue of Y: final invoices of its periods, settlement lines excluded, summed per
// service (fees and charges in the service they pay for; "" for a line without one) and
// agency, ordered by both.
[[nodiscard]] std::vector<costing::InvoicedAmount> settlement_revenue(soci::session& session, int year);

// The same revenue reckoned apart, for the matching's check: the net totals of Y's final
// invoices and credit notes less their settlement lines (settlement_revenue_total, sql/065).
[[nodiscard]] Money final_revenue_total(soci::session& session, int year);

// "AGENCY YYYY-MM" of the drafts of Y other than settlement drafts, by period, then agency.
[[nodiscard]] std::vector<std::string> settlement_blocking_drafts(soci::session& session, int year);

// "YYYY-MM" of the months of Y without a final invoice, in order.
[[nodiscard]] std::vector<std::string> months_without_final_invoice(soci::session& session, int year);

// The settlement lines of Y on final invoices, summed per agency and service.
[[nodiscard]] std::vector<costing::InvoicedAmount> final_settlement_amounts(soci::session& session, int year);

// Deletes settle's own drafts: the draft invoices and credit notes of period Y-12 holding
// a settlement line of Y. Returns how many.
int delete_settlement_drafts(soci::session& session, int year);

// The settlement lines of Y on every invoice (drafts and finals), summed per service.
[[nodiscard]] std::map<std::string, Money> settlement_sums(soci::session& session, int year);

// ---- drafts of removed agreement versions (contracts load) ----

// The number of the first final invoice (by number) with a line of the agreement version,
// if any: such a version may not change or go.
[[nodiscard]] std::optional<std::string> final_invoice_using(soci::session& session, const std::string& agreement_id,
                                                             int version);

// Deletes the drafts made with an agreement version (their header's version, or a line of
// it): they are stale once the version is gone. Returns "AGENCY YYYY-MM" of each, by
// period and agency. Call inside the caller's transaction.
std::vector<std::string> delete_drafts_of_version(soci::session& session, const std::string& agreement_id, int version);

// ---- list prices in use (contracts load) ----

// A price of a list: (year, service).
using ListPrice = std::pair<int, std::string>;
// For each of `prices`, the numbers of the final invoices and credit notes with a line
// billed at it (price source "list YEAR" and that service: usage and true-up lines, and
// corrections of them), in number order; prices nobody was billed at are left out. Such a
// price may not change or go (contracts/README.md, "Price lists in use").
[[nodiscard]] std::map<ListPrice, std::vector<std::string>> final_invoices_at_list_prices(
    soci::session& session, const std::vector<ListPrice>& prices);

}  // namespace costcover::store
