// Printable HTML invoices: the month's invoices read (store::read_month_invoices), each
// rendered (render::invoice_html) into its own page, and the index.
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "jobs/export.hpp"
#include "render/invoice_html.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

ExportResult export_html(soci::session& session, Month period, const std::string& dir) {
  const auto month = store::read_month_invoices(session, period);
  if (!month.provider) throw std::runtime_error("no provider in the database; run `costcover contracts load`");
  const std::filesystem::path folder = std::filesystem::path(dir) / "invoices";
  std::filesystem::create_directories(folder);
  ExportResult result;
  for (const auto& invoice : month.invoices) {
    const auto path = folder / render::invoice_file_name(invoice);
    write_file(path, render::invoice_html(*month.provider, invoice));
    result.files.push_back(path.string());
    ++result.invoices;
    result.lines += static_cast<int>(invoice.lines.size());
  }
  write_file(folder / "index.html", render::invoices_index_html(period, month.invoices));
  result.files.push_back((folder / "index.html").string());
  return result;
}

}  // namespace costcover::jobs
