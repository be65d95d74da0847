// Exports of a month's invoices (drafts and finals, and credit notes of the month's
// invoices): invoices.csv exactly as docs/formats.md defines it, and one printable HTML page
// per invoice. Output depends only on the database: the same database gives
// byte-identical files.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"

namespace costcover::jobs {

struct ExportResult {
  std::vector<std::string> files;  // written, in order
  int invoices = 0;
  int lines = 0;
};

// DIR/invoices.csv: one row per invoice line.
[[nodiscard]] ExportResult export_csv(soci::session& session, Month period, const std::string& dir);

// DIR/invoices/<agency>-<period>-<number or draft-N>.html and DIR/invoices/index.html.
[[nodiscard]] ExportResult export_html(soci::session& session, Month period, const std::string& dir);

}  // namespace costcover::jobs
