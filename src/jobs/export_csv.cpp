// The month's invoice CSVs: the documents read (store::read_month_invoices), rendered
// (render/invoice_csv.hpp) and each written whole (jobs/files.hpp).
#include <filesystem>

#include "jobs/export.hpp"
#include "jobs/files.hpp"
#include "render/invoice_csv.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {

ExportResult export_csv(soci::session& session, Month period, const std::string& dir, CsvDialect dialect) {
  const auto month = store::read_month_invoices(session, period);
  ExportResult result;
  for (const auto& invoice : month.invoices) {
    (invoice.status == invoice::InvoiceStatus::draft ? result.drafts : result.finals) += 1;
    if (invoice.lines.empty()) continue;
    ++result.invoices;
    result.lines += static_cast<int>(invoice.lines.size());
  }
  const std::filesystem::path folder(dir);
  write_file_atomically(folder / "invoices.csv", render::invoices_csv(month.invoices, dialect));
  result.files.push_back((folder / "invoices.csv").string());
  write_file_atomically(folder / "invoice_headers.csv", render::invoice_headers_csv(month.invoices, dialect));
  result.files.push_back((folder / "invoice_headers.csv").string());
  return result;
}

}  // namespace costcover::jobs
