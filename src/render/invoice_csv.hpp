// The invoice CSVs of `export --format csv` (docs/formats.md, docs/invoicing.md), in
// export order (invoice/printed.hpp). Pure: the same values give the same bytes.
// - invoices.csv: one row per invoice line of a month's documents;
// - invoice_headers.csv: one row per document (invoice or credit note, draft or final).
// Both in a CsvDialect (core/csv.hpp): standard by default, excel-fi for spreadsheets.
#pragma once

#include <string>
#include <vector>

#include "core/csv.hpp"
#include "invoice/printed.hpp"

namespace costcover::render {

// The whole file: the header row and one row per line.
[[nodiscard]] std::string invoices_csv(const std::vector<invoice::PrintedInvoice>& invoices,
                                       CsvDialect dialect = CsvDialect::standard);

// The whole file: the header row and one row per document, with its totals. A draft has
// an empty number and dates, a credit note an empty due date; amounts have 2 decimals.
[[nodiscard]] std::string invoice_headers_csv(const std::vector<invoice::PrintedInvoice>& invoices,
                                              CsvDialect dialect = CsvDialect::standard);

}  // namespace costcover::render
