// Peppol BIS Billing 3.0 e-invoices: the month's final documents read
// (store::read_month_invoices), each turned into its UBL document (render/ubl.hpp),
// checked (render/ubl_rules.hpp) and written to DIR/NUMBER.xml only when it passes.
#include <filesystem>
#include <stdexcept>

#include "jobs/export.hpp"
#include "jobs/files.hpp"
#include "render/ubl.hpp"
#include "render/ubl_rules.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {

UblExportResult export_ubl(soci::session& session, Month period, const std::string& dir) {
  namespace fs = std::filesystem;
  const auto month = store::read_month_invoices(session, period);
  if (!month.provider) throw std::runtime_error("no provider in the database; run `costcover contracts load`");
  UblExportResult result;
  fs::create_directories(dir);
  for (const auto& invoice : month.invoices) {
    if (invoice.status != invoice::InvoiceStatus::final) continue;
    const auto document = render::ubl_document(invoice);
    const auto findings = render::check_ubl(document);
    const fs::path path = fs::path(dir) / render::ubl_file_name(invoice);
    if (!findings.empty()) {
      for (const auto& finding : findings) result.refused.push_back({invoice.number, finding.rule, finding.message});
      fs::remove(path);  // never leave an earlier, now refused, version beside the others
      continue;
    }
    write_file_atomically(path, render::ubl_xml(document));
    result.files.push_back(path.string());
  }
  return result;
}

}  // namespace costcover::jobs
