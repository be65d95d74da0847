// Reading counted volumes and writing invoices: the database side of invoicing. Reads go
// through text-mode libpq queries (numerics as text), writes through COPY.
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

// daily_volume rows with from <= day <= to, per agency, ordered by day and id. An empty
// agency list means every agency.
[[nodiscard]] std::map<std::string, std::vector<rating::DailyVolume>> load_volumes(
    soci::session& session, Date from, Date to, const std::vector<std::string>& agencies);

// History for `per: year` windows: daily_volume rows of the given (agency, service) pairs
// with from <= day <= to, summed per agency, service, day and tag set (rating needs only
// those of history rows; business_days is 0), per agency, ordered by day.
[[nodiscard]] std::map<std::string, std::vector<rating::DailyVolume>> load_window_history(
    soci::session& session, Date from, Date to, const std::vector<std::pair<std::string, std::string>>& pairs);

// Inserts invoices (status 'draft', lines, VAT rows, lineage) with COPY; returns their ids
// in order. Call inside the caller's transaction.
std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows = nullptr);

// Today in Helsinki, according to the database server's clock (for CLI defaults only).
[[nodiscard]] Date helsinki_today(soci::session& session);

}  // namespace costcover::store
