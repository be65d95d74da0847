// Exports of a month's invoices (drafts and finals, and credit notes of the month's
// invoices): the CSVs (invoices.csv exactly as docs/formats.md defines it, and
// invoice_headers.csv) and one printable HTML page per document. A final document prints
// the particulars frozen when it became final; a draft the current ones. Output depends
// only on the database: the same database gives byte-identical files.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/csv.hpp"
#include "core/dates.hpp"
#include "invoice/printed.hpp"

namespace costcover::jobs {

struct ExportResult {
  std::vector<std::string> files;    // written, in order
  std::vector<std::string> removed;  // stale files of an earlier export, removed
  int invoices = 0;
  int lines = 0;
  int drafts = 0;
  int finals = 0;
};

// DIR/invoices.csv (one row per invoice line) and DIR/invoice_headers.csv (one row per
// document), in `dialect`.
[[nodiscard]] ExportResult export_csv(soci::session& session, Month period, const std::string& dir,
                                      CsvDialect dialect = CsvDialect::standard);

// Drafts to DIR/drafts/<agency>-<period>-draft-<VAT group>.html, final invoices and
// credit notes to DIR/final/<agency>-<period>-<number>.html, each folder with its own
// index.html (written only when the folder has documents of the month). A draft page of
// the month left in DIR/drafts/ by an earlier export that is no longer a draft (it was
// finalised or removed) is deleted, so a draft never lies beside the finals; only files
// the program writes there (*-<period>-draft-*.html, index.html) are touched.
[[nodiscard]] ExportResult export_html(soci::session& session, Month period, const std::string& dir);

// An e-invoice export's formats: Peppol BIS Billing 3.0 UBL 2.1 (docs/einvoicing.md) and
// Finvoice 3.0 (docs/finvoice.md).
enum class EinvoiceFormat { ubl, finvoice };
[[nodiscard]] const char* to_string(EinvoiceFormat format);

// A rule or check a document failed, so it was not written (one per failed rule).
struct EinvoiceRefusal {
  std::string document;  // "invoice 2027-000001", "credit note 2027-000002"
  std::string number;
  std::string rule;     // "BR-CO-10", "PEPPOL-EN16931-R003", "FINVOICE-OPERATOR", ...
  std::string message;  // "BR-CO-10: sum of line net amounts 120.00 != line extension amount 121.00"
};

struct EinvoiceExport {
  std::vector<std::string> files;         // written, in export order
  std::vector<std::string> removed;       // files an earlier export wrote for documents now refused
  std::vector<EinvoiceRefusal> refusals;  // every failed rule, document by document
  int written = 0;
  int refused = 0;  // documents
  int drafts = 0;   // skipped: a draft is never an e-invoice
};

// One e-invoice per final invoice and credit note of `period` (drafts never): UBL to
// DIR/NUMBER.xml, Finvoice to DIR/NUMBER.finvoice.xml. Each document is checked first; one
// that fails a rule is not written (and a file an earlier export wrote for it is removed)
// and is listed with every failed rule; the others are written.
[[nodiscard]] EinvoiceExport export_einvoices(soci::session& session, Month period, const std::string& dir,
                                              EinvoiceFormat format);

// The writing half of export_einvoices, for a month already read.
[[nodiscard]] EinvoiceExport write_einvoices(const invoice::MonthInvoices& month, const std::string& dir,
                                             EinvoiceFormat format);

}  // namespace costcover::jobs
