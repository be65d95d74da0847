// Printable HTML invoices: the month's documents read (store::read_month_invoices), each
// rendered (render::invoice_html, with the seller it prints) into its own page, drafts in
// DIR/drafts/ and finals in DIR/final/, each folder with its index.
#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "jobs/export.hpp"
#include "jobs/files.hpp"
#include "render/invoice_html.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

namespace fs = std::filesystem;
using invoice::PrintedInvoice;

// Writes one folder's pages and its index; returns the names written.
std::set<std::string> write_folder(const fs::path& folder, Month period, const std::vector<PrintedInvoice>& invoices,
                                   bool drafts, ExportResult& result) {
  std::set<std::string> written;
  if (invoices.empty()) return written;
  for (const auto& invoice : invoices) {
    const std::string name = render::invoice_file_name(invoice);
    write_file_atomically(folder / name, render::invoice_html(invoice.seller, invoice));
    written.insert(name);
    result.files.push_back((folder / name).string());
    ++result.invoices;
    result.lines += static_cast<int>(invoice.lines.size());
  }
  write_file_atomically(folder / "index.html", render::invoices_index_html(period, invoices, drafts));
  written.insert("index.html");
  result.files.push_back((folder / "index.html").string());
  return written;
}

// The files of `period` an earlier export wrote into DIR/drafts/ that this export did not
// write again: draft pages of documents that are no longer drafts, and the index when
// the month has no drafts left. Only the program's own names are candidates.
void remove_stale_drafts(const fs::path& folder, Month period, const std::set<std::string>& written,
                         ExportResult& result) {
  if (!fs::is_directory(folder)) return;
  const std::string marker = "-" + period.to_string() + "-draft-";
  std::vector<fs::path> stale;
  bool other_months = false;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || written.count(name) > 0) continue;
    const bool draft_page = name.size() > 5 && name.ends_with(".html") && name.find("-draft-") != std::string::npos;
    if (draft_page && name.find(marker) != std::string::npos) {
      stale.push_back(entry.path());
    } else if (draft_page) {
      other_months = true;
    }
  }
  // The index is the month's: removed with the month's last draft, unless the folder
  // still holds drafts of another month (then it is left as that export wrote it).
  if (written.count("index.html") == 0 && !other_months && fs::exists(folder / "index.html")) {
    stale.push_back(folder / "index.html");
  }
  std::sort(stale.begin(), stale.end());
  for (const auto& path : stale) {
    fs::remove(path);
    result.removed.push_back(path.string());
  }
}

}  // namespace

ExportResult export_html(soci::session& session, Month period, const std::string& dir) {
  const auto month = store::read_month_invoices(session, period);
  if (!month.provider) throw std::runtime_error("no provider in the database; run `costcover contracts load`");
  std::vector<PrintedInvoice> drafts;
  std::vector<PrintedInvoice> finals;
  for (const auto& invoice : month.invoices) {
    (invoice.status == invoice::InvoiceStatus::draft ? drafts : finals).push_back(invoice);
  }
  ExportResult result;
  result.drafts = static_cast<int>(drafts.size());
  result.finals = static_cast<int>(finals.size());
  const fs::path root(dir);
  const auto written_drafts = write_folder(root / "drafts", period, drafts, true, result);
  write_folder(root / "final", period, finals, false, result);
  remove_stale_drafts(root / "drafts", period, written_drafts, result);
  return result;
}

}  // namespace costcover::jobs
