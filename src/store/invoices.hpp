// The invoice tables (invoice, invoice_line, invoice_vat, invoice_line_volume,
// invoice_counter): every statement on them. Writes go through COPY.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "costing/settlement_year.hpp"
#include "invoice/invoice.hpp"
#include "rating/rating.hpp"

namespace costcover::store {

// Inserts invoices (status 'draft', lines, VAT rows, lineage) with COPY; returns their ids
// in order. Call inside the caller's transaction.
std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows = nullptr);

// Today in Helsinki, according to the database server's clock (for CLI defaults only).
[[nodiscard]] Date helsinki_today(soci::session& session);

// ---- settlement (costs) ----------------------------------------------------------------
// What `costcover settle --year Y` reads from and writes to the invoice tables, through
// the functions of sql/062_settlement.sql (their header has the decision tables). The
// settlement lines of Y are those of kind settlement with price_source "settlement Y";
// the drafts settle writes go in through insert_invoices.

// The revenue of Y: final invoices of its periods, settlement lines excluded, summed per
// service ("" for fees and charges) and agency, ordered by both.
[[nodiscard]] std::vector<costing::InvoicedAmount> settlement_revenue(soci::session& session, int year);

// "AGENCY YYYY-MM" of the drafts of Y other than settlement drafts, by period, then agency.
[[nodiscard]] std::vector<std::string> settlement_blocking_drafts(soci::session& session, int year);

// "YYYY-MM" of the months of Y without a final invoice, in order.
[[nodiscard]] std::vector<std::string> months_without_final_invoice(soci::session& session, int year);

// The settlement lines of Y on final invoices, summed per agency and service.
[[nodiscard]] std::vector<costing::InvoicedAmount> final_settlement_amounts(soci::session& session, int year);

// Deletes settle's own drafts: the draft invoices of period Y-12 holding a settlement
// line of Y. Returns how many.
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

}  // namespace costcover::store
