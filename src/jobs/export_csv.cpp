#include <array>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/csv.hpp"
#include "db/query.hpp"
#include "jobs/export.hpp"

namespace costcover::jobs {

ExportResult export_csv(soci::session& session, Month period, const std::string& dir) {
  const auto rows = db::query(
      session,
      "SELECT coalesce(i.number, ''), i.status, i.agency, i.period, coalesce(to_char(i.issue_date, 'YYYY-MM-DD'), ''), "
      "       coalesce(to_char(i.due_date, 'YYYY-MM-DD'), ''), l.line_no, l.kind, coalesce(l.service, ''), "
      "       l.description, l.quantity, CAST(l.unit_price AS text), CAST(l.amount AS text), l.vat_category, "
      "       coalesce(CAST(l.vat_rate AS text), ''), coalesce(l.agreement_id, ''), "
      "       coalesce(CAST(l.agreement_version AS text), ''), coalesce(l.exception_id, ''), i.id "
      "  FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id "
      " WHERE i.period = $1 "
      " ORDER BY i.agency, i.kind DESC, i.vat_group, i.number NULLS FIRST, i.id, l.line_no",
      {period.to_string()});
  std::filesystem::create_directories(dir);
  const std::string path = (std::filesystem::path(dir) / "invoices.csv").string();
  const std::string temporary = path + ".tmp";
  ExportResult result;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary);
    out << "invoice_number,status,agency,period,issue_date,due_date,line_no,kind,service,description,quantity,"
           "unit_price,amount,vat_category,vat_rate,agreement_id,agreement_version,exception_id\n";
    // The numbers (line_no, quantity, unit_price, amount, vat_rate, agreement_version) are
    // written as they are: an amount may start with '-'. Every other field is text, which
    // a spreadsheet must not take for a formula (csv_text_field).
    static constexpr std::array<bool, 18> kNumber = {false, false, false, false, false, false, true,  false, false,
                                                     false, true,  true,  true,  false, true,  false, true,  false};
    std::string last_invoice;
    std::string line;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      line.clear();
      for (std::size_t c = 0; c < kNumber.size(); ++c) {
        if (c > 0) line.push_back(',');
        line += kNumber[c] ? csv_field(rows.text(r, c)) : csv_text_field(rows.text(r, c));
      }
      out << line << '\n';
      if (rows.text(r, 18) != last_invoice) {
        ++result.invoices;
        last_invoice = rows.text(r, 18);
      }
      ++result.lines;
    }
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary);
  }
  std::filesystem::rename(temporary, path);
  result.files.push_back(path);
  return result;
}

}  // namespace costcover::jobs
