// E-invoices of a month (jobs/export.hpp): the month read (store::read_month_invoices),
// each final document turned into its format and checked (render/ubl*.hpp: Peppol BIS
// Billing 3.0; render/finvoice.hpp: Finvoice 3.0), written only when it passes; drafts are
// skipped, refused documents reported with every rule they fail.
#include <filesystem>
#include <stdexcept>

#include "jobs/export.hpp"
#include "jobs/files.hpp"
#include "render/finvoice.hpp"
#include "render/ubl.hpp"
#include "render/ubl_rules.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

struct Rendered {
  std::string file_name;
  std::string xml;                                            // empty when refused
  std::vector<std::pair<std::string, std::string>> failures;  // rule, message
};

Rendered render_ubl(const invoice::PrintedInvoice& document) {
  Rendered out{render::ubl_file_name(document), {}, {}};
  const auto ubl = render::ubl_document(document);
  for (const auto& finding : render::check_ubl(ubl)) out.failures.emplace_back(finding.rule, finding.message);
  if (out.failures.empty()) out.xml = render::ubl_xml(ubl);
  return out;
}

Rendered render_finvoice(const invoice::PrintedInvoice& document) {
  Rendered out{render::finvoice_file_name(document), {}, {}};
  auto finvoice = render::finvoice(document);
  for (auto& failure : finvoice.failures) out.failures.emplace_back(failure.rule, std::move(failure.message));
  out.xml = std::move(finvoice.xml);
  return out;
}

}  // namespace

const char* to_string(EinvoiceFormat format) { return format == EinvoiceFormat::ubl ? "ubl" : "finvoice"; }

EinvoiceExport write_einvoices(const invoice::MonthInvoices& month, const std::string& dir, EinvoiceFormat format) {
  namespace fs = std::filesystem;
  EinvoiceExport result;
  const fs::path root(dir);
  fs::create_directories(root);
  for (const auto& document : month.invoices) {
    if (document.status == invoice::InvoiceStatus::draft) {
      ++result.drafts;
      continue;
    }
    const auto rendered = format == EinvoiceFormat::ubl ? render_ubl(document) : render_finvoice(document);
    const fs::path path = root / rendered.file_name;
    if (!rendered.failures.empty()) {
      ++result.refused;
      const std::string name =
          (document.kind == invoice::InvoiceKind::credit_note ? "credit note " : "invoice ") + document.number;
      for (const auto& [rule, message] : rendered.failures) {
        result.refusals.push_back({name, document.number, rule, message});
      }
      if (fs::exists(path)) {  // never leave an earlier, now refused, version beside the others
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

EinvoiceExport export_einvoices(soci::session& session, Month period, const std::string& dir, EinvoiceFormat format) {
  const auto month = store::read_month_invoices(session, period);
  if (!month.provider) throw std::runtime_error("no provider in the database; run `costcover contracts load`");
  return write_einvoices(month, dir, format);
}

}  // namespace costcover::jobs
