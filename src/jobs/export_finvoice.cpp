// Finvoice 3.0 e-invoices of a month (jobs/export.hpp, docs/finvoice.md): the month read
// (store::read_month_invoices), each final document checked and rendered
// (render::finvoice) into DIR/NUMBER.finvoice.xml; drafts are skipped, refused documents
// reported with every check they fail.
#include <filesystem>

#include "jobs/export.hpp"
#include "jobs/files.hpp"
#include "render/finvoice.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {

FinvoiceExport write_finvoices(const invoice::MonthInvoices& month, const std::string& dir) {
  namespace fs = std::filesystem;
  FinvoiceExport result;
  const fs::path root(dir);
  for (const auto& document : month.invoices) {
    if (document.status == invoice::InvoiceStatus::draft) {
      ++result.drafts;
      continue;
    }
    const fs::path path = root / render::finvoice_file_name(document);
    const auto rendered = render::finvoice(document);
    if (!rendered.failures.empty()) {
      ++result.refused;
      for (const auto& failure : rendered.failures) {
        result.refusals.push_back({document.number, failure.rule, failure.message});
      }
      if (fs::exists(path)) {
        fs::remove(path);
        result.removed.push_back(path.string());
      }
      continue;
    }
    write_file_atomically(path, rendered.xml);
    result.files.push_back(path.string());
    ++result.written;
  }
  return result;
}

FinvoiceExport export_finvoice(soci::session& session, Month period, const std::string& dir) {
  return write_finvoices(store::read_month_invoices(session, period), dir);
}

}  // namespace costcover::jobs
