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
#include "invoice/billing.hpp"
#include "invoice/invoice.hpp"
#include "rating/rating.hpp"

namespace costcover::store {

// Inserts invoices (status 'draft', lines, VAT rows, lineage) with COPY; returns their ids
// in order. Call inside the caller's transaction.
std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows = nullptr);

// billing_readiness(period, agency) of sql/061_billing_readiness.sql.
[[nodiscard]] invoice::Readiness billing_readiness(soci::session& session, Month period,
                                                   const std::optional<std::string>& agency);

// Today in Helsinki, according to the database server's clock (for CLI defaults only).
[[nodiscard]] Date helsinki_today(soci::session& session);

}  // namespace costcover::store
