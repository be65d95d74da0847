#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "jobs/export.hpp"
#include "render/invoice_csv.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {

ExportResult export_csv(soci::session& session, Month period, const std::string& dir) {
  const auto month = store::read_month_invoices(session, period);
  ExportResult result;
  for (const auto& invoice : month.invoices) {
    if (invoice.lines.empty()) continue;
    ++result.invoices;
    result.lines += static_cast<int>(invoice.lines.size());
  }
  std::filesystem::create_directories(dir);
  const std::string path = (std::filesystem::path(dir) / "invoices.csv").string();
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary);
    out << render::invoices_csv(month.invoices);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary);
  }
  std::filesystem::rename(temporary, path);
  result.files.push_back(path);
  return result;
}

}  // namespace costcover::jobs
