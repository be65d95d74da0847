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
#include "invoice/invoice.hpp"
#include "rating/rating.hpp"

namespace costcover::store {

// Inserts invoices (status 'draft', lines, VAT rows, lineage) with COPY; returns their ids
// in order. Call inside the caller's transaction.
std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows = nullptr);

// Today in Helsinki, according to the database server's clock (for CLI defaults only).
[[nodiscard]] Date helsinki_today(soci::session& session);

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
