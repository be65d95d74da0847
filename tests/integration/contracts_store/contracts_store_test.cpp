// contracts load against a real PostgreSQL: loading twice is a no-op; a changed file for
// an agreement version a final invoice used is refused and leaves the database untouched;
// jobs read back exactly the contract set that was stored. And `contracts check` refuses
// what the later steps could not take (issue 11, item 8), before anything is stored.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/query.hpp"
#include "jobs/contracts_load.hpp"
#include "store/contracts.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::run_costcover;

namespace {

fs::path copy_samples(const fs::path& to) {
  fs::copy(fs::path(costcover::testing::source_dir()) / "contracts", to, fs::copy_options::recursive);
  return to;
}

// Every row of the query's one text column, one a line.
std::string lines_of(soci::session& session, const std::string& sql) {
  const auto rows = costcover::db::query(session, sql);
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) out += rows.text(r, 0) + '\n';
  return out;
}

long long count(soci::session& session, const std::string& sql) {
  return std::stoll(costcover::db::scalar(session, sql));
}

std::string snapshot(soci::session& session) {
  return lines_of(session,
                  "SELECT path || ' ' || content_hash || ' ' || CAST(loaded_at AS text) FROM contract_file "
                  "ORDER BY path") +
         lines_of(session,
                  "SELECT agreement_id || ' ' || version || ' ' || content_hash || ' ' || CAST(loaded_at AS text) "
                  "FROM agreement_version ORDER BY 1") +
         lines_of(session, "SELECT id || ' ' || name FROM agency ORDER BY id") +
         lines_of(session, "SELECT id || ' ' || name FROM service ORDER BY id") +
         lines_of(session,
                  "SELECT year || ' ' || basis || ' ' || content_hash || ' ' || CAST(loaded_at AS text) "
                  "FROM price_list ORDER BY year") +
         lines_of(session,
                  "SELECT year || ' ' || service || ' ' || CAST(unit_price AS text) FROM price_list_item ORDER BY 1");
}

// Runs the program and expects it to succeed.
costcover::testing::RunResult run_ok(const std::string& conn, const std::string& args) {
  auto result = run_costcover(conn, args);
  EXPECT_EQ(result.status, 0) << "costcover " << args << "\n" << result.out << result.err;
  return result;
}

void replace_in_file(const fs::path& file, const std::string& from, const std::string& to) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const auto at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << file;
  s.replace(at, from.size(), to);
  std::ofstream(file, std::ios::trunc) << s;
}

TEST(ContractsStore, LoadingTheSameFilesTwiceChangesNothing) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  auto first = run_costcover(db.connection_string(), "contracts load " + dir.string());
  ASSERT_EQ(first.status, 0) << first.err;
  const auto before = snapshot(db.session());
  auto second = run_costcover(db.connection_string(), "contracts load " + dir.string());
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("0 added, 0 changed"), std::string::npos) << second.out;
  EXPECT_EQ(snapshot(db.session()), before);
  EXPECT_GE(count(db.session(), "SELECT count(*) FROM agreement_version"), 11);
}

TEST(ContractsStore, JobsReadBackTheStoredContractSet) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  ASSERT_EQ(run_costcover(db.connection_string(), "contracts load " + dir.string()).status, 0);
  // The file changes afterwards; the database keeps what was loaded.
  replace_in_file(dir / "prices" / "2026.yaml", "year: 2026", "year: 2026 # edited later");
  const auto stored = costcover::store::load_stored_contracts(db.session());
  const auto from_files = costcover::contracts::load_directory(dir.string());
  ASSERT_TRUE(from_files.ok());
  EXPECT_EQ(stored.agencies.size(), from_files.contracts.agencies.size());
  EXPECT_EQ(stored.agreements.size(), from_files.contracts.agreements.size());
  EXPECT_EQ(stored.catalog.services.size(), from_files.contracts.catalog.services.size());
  for (std::size_t i = 0; i < stored.agreements.size(); ++i) {
    EXPECT_EQ(stored.agreements[i].content_hash, from_files.contracts.agreements[i].content_hash);
  }
  const auto* list = stored.price_list(2026);
  ASSERT_NE(list, nullptr);
  EXPECT_NE(list->source_file.find("prices/2026.yaml"), std::string::npos);
}

TEST(ContractsStore, AChangedVersionUsedByAFinalInvoiceIsRefusedAndNothingIsStored) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  const auto& conn = db.connection_string();
  auto run = [&](const std::string& args) { return run_ok(conn, args); };
  run("contracts load " + dir.string());
  run("generate --month 2026-10 --seed 3 --scale 0.05 --contracts " + dir.string() + " --out " +
      (tmp.path() / "tx").string());
  for (const auto& entry : fs::directory_iterator(tmp.path() / "tx")) {
    if (entry.path().extension() == ".csv" && entry.path().string().find("rejects") == std::string::npos) {
      run("ingest --source " + entry.path().stem().string() + " " + entry.path().string());
    }
  }
  run("nightly");
  run("bill --period 2026-10 --force");
  run("finalize --period 2026-10 --issue-date 2026-11-05");
  ASSERT_GT(count(db.session(), "SELECT count(*) FROM invoice WHERE status = 'final'"), 0);

  const auto before = snapshot(db.session());
  // Two edits in one load: an agency's name (allowed alone) and a used agreement version.
  replace_in_file(dir / "agencies.yaml", "name: ", "name: Renamed ");
  replace_in_file(dir / "agreements" / "lvt.yaml", "buyer_reference: \"", "buyer_reference: \"X");
  auto refused = run_costcover(conn, "contracts load " + dir.string());
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("agreements/lvt.yaml"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("was used by final invoice"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("add a new version instead"), std::string::npos) << refused.err;
  EXPECT_EQ(snapshot(db.session()), before);
}

// LVT's purchase invoices of October 2026 (price: list, lower_limit 1500): `count`
// transactions billed and finalised for LVT alone, so that its usage and true-up lines are
// the only ones at a list price (list 2026, purchase-invoice 4.20). Returns the numbers of
// the final invoices.
std::string finalise_lvt_october(costcover::testing::TestDatabase& db, const fs::path& dir, const fs::path& tmp,
                                 int count) {
  auto run = [&](const std::string& args) { return run_ok(db.connection_string(), args); };
  run("contracts load " + dir.string());
  std::string csv = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n";
  for (int i = 1; i <= count; ++i) {
    csv += fmt::format(
        "AP-2026-{:07},LVT,purchase-invoice,2026-10-12T08:00:00+03:00,2026-10-12T12:00:00+03:00,1,,"
        "delivered\n",
        i);
  }
  costcover::testing::write_file(tmp / "lvt.csv", csv);
  run("ingest --source finance --as-of 2026-11-01 " + (tmp / "lvt.csv").string());
  run("nightly");
  run("bill --period 2026-10 --agency LVT");
  run("finalize --period 2026-10 --agency LVT --issue-date 2026-11-02");
  return costcover::db::scalar(db.session(),
                               "SELECT string_agg(number, ', ' ORDER BY number) FROM invoice WHERE status = 'final'");
}

// Issue 13, item 3: a list price that final invoices were billed at is frozen. The load
// that changes it is refused whole (an allowed edit in the same load is not stored either),
// the finding names the file, the line of the price, the list, the service, the old and
// new price and the invoices; removing the service from the list is refused too.
TEST(ContractsStore, AUsedListPriceCannotChangeAndNothingIsStored) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  const auto& conn = db.connection_string();
  const std::string invoices = finalise_lvt_october(db, dir, tmp.path(), 47);
  ASSERT_FALSE(invoices.empty());
  ASSERT_EQ(
      count(db.session(),
            "SELECT count(*) FROM invoice_line WHERE price_source = 'list 2026' AND service = 'purchase-invoice'"),
      2);  // usage 47 and true-up 1453, both at 4.20

  const auto before = snapshot(db.session());
  replace_in_file(dir / "agencies.yaml", "name: ", "name: Renamed ");
  replace_in_file(dir / "prices" / "2026.yaml", "purchase-invoice: 4.20", "purchase-invoice: 4.50");
  auto refused = run_costcover(conn, "contracts load " + dir.string());
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find(dir.string() +
                             "/prices/2026.yaml:7:3: price list 2026: purchase-invoice 4.20 was billed "
                             "on final invoice(s) " +
                             invoices +
                             " and cannot change to 4.50; a new price applies through an agreement `price` "
                             "exception or next year's list"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(snapshot(db.session()), before);

  // The service gone from the list: the agreement's `price: list` needs it, so the check
  // refuses the folder before the database is reached; the database is unchanged.
  replace_in_file(dir / "prices" / "2026.yaml", "  purchase-invoice: 4.50\n", "");
  refused = run_costcover(conn, "contracts load " + dir.string());
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("purchase-invoice"), std::string::npos) << refused.err;
  EXPECT_EQ(snapshot(db.session()), before);
}

// What the freeze leaves open: a used list may gain a service, and a price nobody was
// billed at may change, in a used list (payslip 2026: LVT bought none) and in a list no
// invoice used (2027).
TEST(ContractsStore, AUsedListMayGainServicesAndChangeUnusedPrices) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  const auto& conn = db.connection_string();
  ASSERT_FALSE(finalise_lvt_october(db, dir, tmp.path(), 5).empty());
  std::ofstream(dir / "catalog.yaml", std::ios::app)
      << "  - id: advisory\n    name: {fi: Neuvonta, en: Advisory}\n    unit: hour\n    area: other\n"
         "    vat: {category: O}\n";
  std::ofstream(dir / "prices" / "2026.yaml", std::ios::app) << "  advisory: 95.00\n";
  replace_in_file(dir / "prices" / "2026.yaml", "payslip: 11.85", "payslip: 12.10");
  replace_in_file(dir / "prices" / "2027.yaml", "purchase-invoice: 4.05", "purchase-invoice: 4.15");
  const auto loaded = run_costcover(conn, "contracts load " + dir.string());
  ASSERT_EQ(loaded.status, 0) << loaded.err;
  EXPECT_EQ(lines_of(db.session(),
                     "SELECT year || ' ' || service || ' ' || CAST(unit_price AS text) FROM price_list_item "
                     "WHERE service IN ('advisory', 'payslip', 'purchase-invoice') ORDER BY 1"),
            "2026 advisory 95.0000\n2026 payslip 12.1000\n2026 purchase-invoice 4.2000\n"
            "2027 payslip 11.6000\n2027 purchase-invoice 4.1500\n");
}

// A version whose file is gone is removed; drafts made with it go too (they are stale),
// the command names them, and billing again makes them from what is stored now.
TEST(ContractsStore, ARemovedVersionTakesItsDraftsAlong) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  const auto& conn = db.connection_string();
  auto run = [&](const std::string& args) { return run_ok(conn, args); };
  run("contracts load " + dir.string());
  run("bill --period 2026-10 --force");
  auto count_of = [&](const std::string& sql) { return count(db.session(), sql); };
  const long long drafts = count_of("SELECT count(*) FROM invoice WHERE status = 'draft'");
  const std::string ktl_v2 = "agreement_id = 'SA-KTL-2026' AND agreement_version = 2";
  ASSERT_GT(count_of("SELECT count(*) FROM invoice WHERE status = 'draft' AND " + ktl_v2), 0);

  fs::remove(dir / "agreements" / "ktl-v2.yaml");
  const auto loaded = run("contracts load " + dir.string());
  EXPECT_NE(loaded.out.find("removed agreement SA-KTL-2026 version 2"), std::string::npos) << loaded.out;
  EXPECT_NE(loaded.out.find("removed 1 draft invoice(s) made with a removed version (KTL 2026-10)"), std::string::npos)
      << loaded.out;
  EXPECT_EQ(count_of("SELECT count(*) FROM agreement_version WHERE agreement_id = 'SA-KTL-2026' AND version = 2"), 0);
  EXPECT_EQ(count_of("SELECT count(*) FROM invoice WHERE agency = 'KTL'"), 0);
  EXPECT_EQ(count_of("SELECT count(*) FROM invoice WHERE status = 'draft'"), drafts - 1);

  run("bill --period 2026-10 --force");
  EXPECT_EQ(count_of("SELECT count(*) FROM invoice WHERE status = 'draft'"), drafts);
  EXPECT_EQ(count_of("SELECT count(*) FROM invoice WHERE agency = 'KTL' AND agreement_id = 'SA-KTL-2026' "
                     "AND agreement_version = 1"),
            1);
}

// The job itself (jobs/contracts_load.hpp): the first load adds every file in one job run
// that records its counts; the second finds them all unchanged and writes nothing.
TEST(ContractsLoadJob, ReportsWhatItStoredAndRecordsTheRun) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  auto connect = [&] { return costcover::db::connect(db.connection_string()); };
  const auto first = costcover::jobs::run_contracts_load(dir.string(), connect);
  ASSERT_TRUE(first.stored());
  EXPECT_EQ(first.files, 19);
  EXPECT_EQ(first.added, 19);
  EXPECT_EQ(first.changed + first.unchanged, 0);
  EXPECT_EQ(first.agencies, 12);
  EXPECT_EQ(first.services, 10);
  EXPECT_EQ(first.price_lists, 2);
  EXPECT_EQ(first.agreement_versions, 13);
  const auto second = costcover::jobs::run_contracts_load(dir.string(), connect);
  EXPECT_EQ(second.unchanged, 19);
  EXPECT_EQ(second.added + second.changed, 0);
  EXPECT_EQ(lines_of(db.session(),
                     "SELECT outcome || ' ' || (row_counts->>'added') || ' ' || (row_counts->>'unchanged') "
                     "FROM job_run WHERE job = 'contracts load' ORDER BY id"),
            "succeeded 19 0\nsucceeded 0 19\n");
}

// A folder with findings is not stored, and the database is not even connected to: the
// findings are the answer, whatever the state of the database.
TEST(ContractsLoadJob, AFolderWithFindingsNeverConnects) {
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  replace_in_file(dir / "agreements" / "ktl.yaml", "amount: 250.00", "amount: -250.00");
  bool connected = false;
  const auto report = costcover::jobs::run_contracts_load(dir.string(), [&] {
    connected = true;
    return std::unique_ptr<soci::session>();
  });
  EXPECT_FALSE(connected);
  ASSERT_EQ(report.findings.size(), 1U);
  EXPECT_EQ(report.findings[0].to_string(),
            dir.string() + "/agreements/ktl.yaml:40:5: services[3].amount -250.00 is negative");
  EXPECT_EQ(report.files_read, 19);
  const auto result = run_costcover("host=/nonexistent port=1", "contracts load " + dir.string());
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, dir.string() + "/agreements/ktl.yaml:40:5: services[3].amount -250.00 is negative\n" +
                            dir.string() + ": 19 file(s), 1 error(s); nothing was loaded\n");
}

// Issue 11, item 8: each of these passed `contracts check`, and a later step failed on it
// (every bill of the month, a database error in the load, a 513 MB bill). The check now
// finds each, with file:line:column, and exits 1; the samples still pass.
TEST(ContractsCheck, RefusesWhatTheLaterStepsCouldNotTake) {
  costcover::testing::TempDir tmp("cccheck");
  const auto samples = run_costcover("", "contracts check " + costcover::testing::source_dir() + "/contracts");
  EXPECT_EQ(samples.status, 0) << samples.err;
  EXPECT_EQ(samples.err, "");
  EXPECT_NE(samples.out.find("/contracts/: 19 files, 0 errors"), std::string::npos) << samples.out;

  struct Case {
    const char* name;
    const char* file;
    std::string from;
    std::string to;
    std::string finding;  // after the folder; SIZE: the file's size
  };
  const Case cases[] = {
      {"fee", "agreements/ktl.yaml", "amount: 250.00", "amount: 9999999999999999.99",
       "/agreements/ktl.yaml:40:5: services[3].amount 9999999999999999.99 is above the largest allowed 1000000000.00"},
      {"latin1", "agencies.yaml", "Työpajankatu", "Ty\xF6pajankatu",
       "/agencies.yaml:9:25: byte 0xF6 is not UTF-8; save the file as UTF-8"},
      {"reference", "agreements/stv.yaml", "\"STV-26\"", "\"" + std::string(50 << 20, 'R') + "\"",
       "/agreements/stv.yaml: the file is SIZE bytes, above the largest allowed 1048576 (1 MiB)"},
      {"reference71", "agreements/stv.yaml", "\"STV-26\"", "\"STV-" + std::string(67, '7') + "\"",
       "/agreements/stv.yaml:10:5: agreement.billing.buyer_reference \"STV-" + std::string(67, '7') +
           "\" is 71 characters long, above the largest allowed 70"},
  };
  for (const auto& c : cases) {
    const auto dir = copy_samples(tmp.path() / c.name);
    replace_in_file(dir / c.file, c.from, c.to);
    std::string finding = c.finding;
    if (const auto at = finding.find("SIZE"); at != std::string::npos)
      finding.replace(at, 4, std::to_string(fs::file_size(dir / c.file)));
    const auto result = run_costcover("", "contracts check " + dir.string());
    EXPECT_EQ(result.status, 1) << c.name << "\n" << result.err;
    EXPECT_EQ(result.err, dir.string() + finding + "\n") << c.name;
    EXPECT_NE(result.out.find(" 1 error"), std::string::npos) << c.name << " " << result.out;
  }
}

// The folder's files are its own: a link is named, never followed or quoted, and a line
// feed in a file name does not start a line.
TEST(ContractsCheck, NamesLinksAndEscapesFileNames) {
  costcover::testing::TempDir tmp("cccheck");
  const auto dir = copy_samples(tmp.path() / "contracts");
  fs::create_symlink("/etc/passwd", dir / "agreements" / "x.yaml");
  costcover::testing::write_file(dir / "agreements" / "y.yaml:1:1: forged\nz.yaml", "");
  const auto result = run_costcover("", "contracts check " + dir.string());
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, dir.string() +
                            "/agreements/x.yaml: is a symbolic link; contracts are read from the files in the folder "
                            "only (the link is not followed)\n" +
                            dir.string() + "/agreements/y.yaml:1:1: forged\\nz.yaml:1:1: the file is empty\n");
}

// `contracts load` validates first: a Latin-1 agencies.yaml is a finding and nothing is
// stored, not a database error that quotes the bytes.
TEST(ContractsStore, AFileThatIsNotUtf8IsAFindingNotADatabaseError) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccstore");
  const auto dir = copy_samples(tmp.path() / "contracts");
  replace_in_file(dir / "agencies.yaml", "Työpajankatu", "Ty\xF6pajankatu");
  const auto result = run_costcover(db.connection_string(), "contracts load " + dir.string());
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find(dir.string() + "/agencies.yaml:9:25: byte 0xF6 is not UTF-8; save the file as UTF-8\n"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("nothing was loaded"), std::string::npos) << result.err;
  EXPECT_EQ(count(db.session(), "SELECT count(*) FROM contract_file"), 0);
}

}  // namespace
