// Final means final for everything printed on the document (issue 14, items 1 and 4),
// against a real PostgreSQL, through the program:
//   - a month is billed and exported as drafts, one agency's invoices are finalised and
//     one of them credited, and the month is exported again into the same folder: the
//     finalised agency's draft pages are gone from drafts/, its finals and the credit
//     note are in final/, the other agencies' drafts stay;
//   - then the contracts change (the agency's name and street, another agency's street,
//     the provider's IBAN, a service's name) and are loaded again: an export into a new
//     folder gives every final document's page byte for byte as before, while a draft
//     shows the new street and the new IBAN;
//   - the frozen copy cannot be changed by plain SQL, and drafts have none;
//   - a database finalised before migration 068 gets its copy once, from the day's
//     particulars, marked back_filled.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <soci/soci.h>

#include "db/connection.hpp"
#include "sample_month.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::read_file;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;

namespace {

constexpr const char* kMonth = costcover::testing::SampleMonthTest::kMonth;

long long count(soci::session& session, const std::string& sql) {
  long long value = 0;
  session << sql, soci::into(value);
  return value;
}

std::string text(soci::session& session, const std::string& sql) {
  std::string value;
  soci::indicator indicator = soci::i_ok;
  session << sql, soci::into(value, indicator);
  return indicator == soci::i_ok ? value : std::string();
}

void replace_in_file(const fs::path& path, const std::string& from, const std::string& to) {
  std::string content = read_file(path);
  const auto at = content.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  content.replace(at, from.size(), to);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::set<std::string> names_in(const fs::path& folder) {
  std::set<std::string> names;
  if (!fs::is_directory(folder)) return names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

class Particulars : public costcover::testing::SampleMonthTest {
 protected:
  Particulars() : SampleMonthTest("ccfreeze") {}
};

TEST_F(Particulars, FinalDocumentsPrintWhatWasFrozenAndDraftsWhatIsCurrent) {
  auto& session = db_.session();
  run(std::string("bill --period ") + kMonth);
  TempDir out1{"ccfreeze"};
  export_to(out1.path());
  const auto drafts_before = names_in(out1.path() / "drafts");
  ASSERT_TRUE(drafts_before.count("KTL-2026-10-draft-O.html")) << "KTL has a draft of group O";
  ASSERT_TRUE(drafts_before.count("OKV-2026-10-draft-O.html"));
  EXPECT_TRUE(names_in(out1.path() / "final").empty());
  EXPECT_NE(read_file(out1.path() / "drafts" / "KTL-2026-10-draft-O.html").find("LUONNOS"), std::string::npos);

  run(std::string("finalize --period ") + kMonth + " --agency KTL --issue-date 2026-11-02");
  const std::string credited =
      text(session, "SELECT min(number) FROM invoice WHERE agency = 'KTL' AND status = 'final'");
  ASSERT_FALSE(credited.empty());
  run("credit --invoice " + credited + " --reason 'wrong fee' --issue-date 2026-11-05");
  // Every final document has its frozen copy, one row per line; no draft has one.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i WHERE (i.status = 'final') <> EXISTS "
                  "(SELECT 1 FROM invoice_particulars p WHERE p.invoice_id = i.id)"),
            0);
  EXPECT_EQ(
      count(session,
            "SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE (i.status = 'final') "
            "<> EXISTS (SELECT 1 FROM invoice_line_particulars p WHERE (p.invoice_id, p.line_no) = "
            "(l.invoice_id, l.line_no))"),
      0);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice_particulars p JOIN invoice i ON i.id = p.invoice_id "
                  "WHERE i.kind = 'credit_note'"),
            1);

  // Exported again into the same folder: no draft page of KTL is left beside its finals.
  export_to(out1.path());
  const auto drafts = names_in(out1.path() / "drafts");
  const auto finals = names_in(out1.path() / "final");
  for (const auto& name : drafts) EXPECT_NE(name.rfind("KTL-", 0), 0U) << name << " is final now";
  EXPECT_TRUE(drafts.count("OKV-2026-10-draft-O.html"));
  EXPECT_TRUE(drafts.count("index.html"));
  EXPECT_TRUE(finals.count("index.html"));
  EXPECT_TRUE(finals.count("KTL-2026-10-" + credited + ".html"));
  const int final_documents = static_cast<int>(count(session, "SELECT count(*) FROM invoice WHERE status = 'final'"));
  EXPECT_EQ(static_cast<int>(finals.size()), final_documents + 1);
  for (const auto& name : finals) EXPECT_EQ(name.find("-draft-"), std::string::npos) << name;
  const std::string headers = read_file(out1.path() / "invoice_headers.csv");
  EXPECT_NE(headers.find("," + credited + ",,EUR,"), std::string::npos) << "the credit note names what it credits";

  // The contracts change; loaded again.
  replace_in_file(contracts_ / "agencies.yaml", "name: Kansallinen tilastolaitos", "name: Tilastovirasto");
  replace_in_file(contracts_ / "agencies.yaml", "street: Työpajankatu 13", "street: Uusi katu 99");
  replace_in_file(contracts_ / "agencies.yaml", "street: Hakaniemenranta 6", "street: Siltasaarenkatu 77");
  replace_in_file(contracts_ / "catalog.yaml", "iban: FI2112345600000785", "iban: FI2555444433332222");
  replace_in_file(contracts_ / "catalog.yaml", "Purchase invoice processing", "Renamed service");
  replace_in_file(contracts_ / "catalog.yaml", "Ostolaskun käsittely", "Uusi nimi");
  run("contracts load '" + contracts_.string() + "'");
  ASSERT_EQ(text(session, "SELECT name FROM agency WHERE id = 'KTL'"), "Tilastovirasto");

  TempDir out2{"ccfreeze"};
  export_to(out2.path());
  ASSERT_EQ(names_in(out2.path() / "final"), finals);
  for (const auto& name : finals) {
    SCOPED_TRACE(name);
    EXPECT_EQ(read_file(out2.path() / "final" / name), read_file(out1.path() / "final" / name)) << "not byte-identical";
  }
  const std::string final_page = read_file(out2.path() / "final" / ("KTL-2026-10-" + credited + ".html"));
  EXPECT_NE(final_page.find("Työpajankatu 13"), std::string::npos);
  EXPECT_NE(final_page.find("Kansallinen tilastolaitos"), std::string::npos);
  EXPECT_NE(final_page.find("FI2112345600000785"), std::string::npos);
  EXPECT_EQ(final_page.find("Uusi katu 99"), std::string::npos);

  // A draft prints the current particulars.
  const std::string draft_before = read_file(out1.path() / "drafts" / "OKV-2026-10-draft-O.html");
  const std::string draft_after = read_file(out2.path() / "drafts" / "OKV-2026-10-draft-O.html");
  EXPECT_NE(draft_before.find("Hakaniemenranta 6"), std::string::npos);
  EXPECT_NE(draft_after.find("Siltasaarenkatu 77"), std::string::npos);
  EXPECT_EQ(draft_after.find("Hakaniemenranta 6"), std::string::npos);
  EXPECT_NE(draft_after.find("FI2555444433332222"), std::string::npos);

  // The frozen copy is as immutable as the rest of a final invoice.
  for (const char* sql :
       {"UPDATE invoice_particulars SET buyer_street = 'x'", "DELETE FROM invoice_particulars",
        "UPDATE invoice_line_particulars SET description = 'x'", "DELETE FROM invoice_line_particulars",
        "TRUNCATE invoice_particulars", "TRUNCATE invoice_line_particulars",
        "INSERT INTO invoice_particulars SELECT * FROM invoice_current_particulars c "
        "WHERE c.invoice_id = (SELECT min(id) FROM invoice WHERE status = 'draft')"}) {
    EXPECT_THROW(session << sql, soci::soci_error) << sql;
  }
}

// A database with final invoices from before migration 068: the migration gives each its
// copy once, from the particulars of the day it runs, and marks it back_filled. (The test
// takes 068 out of a migrated database, changes an agency's name as the contracts would
// have, and runs the migration again.)
TEST_F(Particulars, MigrationBackFillsFinalInvoicesOfOlderDatabases) {
  auto& session = db_.session();
  run(std::string("bill --period ") + kMonth);
  run(std::string("finalize --period ") + kMonth + " --agency KTL --issue-date 2026-11-02");
  const long long finals = count(session, "SELECT count(*) FROM invoice WHERE status = 'final'");
  ASSERT_GT(finals, 0);
  session << "DROP FUNCTION invoice_freeze_particulars() CASCADE";
  session << "DROP VIEW invoice_printed_particulars, invoice_line_printed_particulars, invoice_current_particulars, "
             "invoice_line_current_particulars";
  session << "DROP TABLE invoice_line_particulars, invoice_particulars";
  session << "DROP FUNCTION invoice_particulars_guard()";
  // 071 extends 068's tables, views and freezing; it is written to run again after 068.
  session << "DELETE FROM schema_migration WHERE version IN (68, 71)";
  session << "UPDATE agency SET name = 'Tilastovirasto' WHERE id = 'KTL'";

  EXPECT_EQ(costcover::db::migrate(session, costcover::testing::source_dir() + "/sql"), 2);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice_particulars WHERE back_filled"), finals);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice_particulars WHERE NOT back_filled"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice_particulars WHERE buyer_name <> 'Tilastovirasto'"), 0);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.status = 'final' "
                  "AND NOT EXISTS (SELECT 1 FROM invoice_line_particulars p WHERE (p.invoice_id, p.line_no) = "
                  "(l.invoice_id, l.line_no))"),
            0);
  // Drafts still have none; the month exports.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice_particulars p JOIN invoice i ON i.id = p.invoice_id "
                  "WHERE i.status = 'draft'"),
            0);
  TempDir out{"ccfreeze"};
  export_to(out.path());
  EXPECT_FALSE(names_in(out.path() / "final").empty());
}

}  // namespace
