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

// A Finvoice export (docs/finvoice.md): the files written and the documents refused.
struct FinvoiceRefusal {
  std::string number;   // the refused document
  std::string rule;     // FINVOICE-...
  std::string message;  // names the document and the values
};
struct FinvoiceExport {
  std::vector<std::string> files;         // DIR/NUMBER.finvoice.xml written, in export order
  std::vector<std::string> removed;       // files of refused documents an earlier export left
  std::vector<FinvoiceRefusal> refusals;  // every failed check, document by document
  int written = 0;
  int refused = 0;  // documents
  int drafts = 0;   // skipped: a draft is never an e-invoice
};

// One Finvoice 3.0 document DIR/NUMBER.finvoice.xml per final invoice and credit note of
// `period` (drafts never); a document failing a check is not written (and a file an
// earlier export wrote for it is removed), the others are.
[[nodiscard]] FinvoiceExport export_finvoice(soci::session& session, Month period, const std::string& dir);

// The writing half of export_finvoice, for a month already read.
[[nodiscard]] FinvoiceExport write_finvoices(const invoice::MonthInvoices& month, const std::string& dir);

// A document export_ubl did not write: it breaks a business rule (render/ubl_rules.hpp).
struct UblRefusal {
  std::string number;
  std::string rule;
  std::string message;  // "BR-CO-10: sum of line net amounts 120.00 != line extension amount 121.00"
};

struct UblExportResult {
  std::vector<std::string> files;  // written, in export order
  std::vector<UblRefusal> refused;
};

// DIR/NUMBER.xml, a Peppol BIS Billing 3.0 UBL 2.1 Invoice or CreditNote, for every final
// invoice and credit note of the month (drafts never). Each document is checked against the
// business rules first; one that breaks a rule is not written (an earlier file of that
// number is removed) and is listed with every finding, the others are written.
[[nodiscard]] UblExportResult export_ubl(soci::session& session, Month period, const std::string& dir);

}  // namespace costcover::jobs
