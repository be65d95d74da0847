// The yearly costing jobs against a real PostgreSQL, through the program:
// - costs import rejects bad rows with the exact reason (file, line, field), reconciles
//   read = accepted + rejected, reloading the same file is a no-op, and a corrected file
//   replaces that year's rows only;
// - prices propose writes byte-identical files when run twice, and its allocation sums to
//   the ledger plus imputed interest;
// - settle turns a year of final invoices into settlement drafts whose lines sum to the
//   difference to the cent (revenue + lines - cost = 0 per settled service), replaces its
//   drafts when run again, adds nothing after they are final, and with carry_forward
//   creates no lines but moves the difference into the next proposal's prices;
// - costs import --budget keeps the budget apart from the ledger with the same checks and
//   history, and prices propose --year Y --budget, before any transaction or ledger of Y
//   exists, gives the prices of Y that a calculation by hand of the budget gives, with the
//   differences of the latest settled year before Y.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "db/query.hpp"
#include "invoice_fixture.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
namespace db = costcover::db;
using costcover::Money;
using costcover::testing::read_file;
using costcover::testing::run_costcover;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

void replace_in_file(const fs::path& file, const std::string& from, const std::string& to) {
  std::string s = read_file(file);
  const auto at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << file;
  s.replace(at, from.size(), to);
  write_text(file, s);
}

long long count(soci::session& session, const std::string& sql) { return std::stoll(db::scalar(session, sql)); }

// The one value of the query ("" for NULL).
std::string text(soci::session& session, const std::string& sql) { return db::scalar(session, sql); }

std::vector<std::vector<std::string>> csv_rows(const std::string& content) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(content);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream parts(line);
    while (std::getline(parts, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  return rows;
}

// The sample contracts in a temporary folder (optionally carry_forward), plus a cost model
// for 2025 so that one year can be checked to stay untouched.
fs::path sample_contracts(const costcover::testing::TempDir& tmp, bool carry_forward,
                          const std::string& threshold_percent = "1.0") {
  const fs::path dir = tmp.path() / "contracts";
  fs::copy(fs::path(costcover::testing::source_dir()) / "contracts", dir, fs::copy_options::recursive);
  for (const auto& entry : fs::directory_iterator(dir / "costs")) {
    if (entry.path().extension() == ".csv") fs::remove(entry.path());
  }
  std::string model2025 = read_file(dir / "costs" / "2026.yaml");
  model2025.replace(model2025.find("year: 2026"), 10, "year: 2025");
  write_text(dir / "costs" / "2025.yaml", model2025);
  if (carry_forward) replace_in_file(dir / "costs" / "2026.yaml", "mode: settle", "mode: carry_forward");
  if (threshold_percent != "1.0") {
    replace_in_file(dir / "costs" / "2026.yaml", "threshold_percent: 1.0", "threshold_percent: " + threshold_percent);
  }
  return dir;
}

class CostingJobs : public ::testing::Test {
 protected:
  costcover::testing::TestDatabase db_;
  costcover::testing::TempDir tmp_{"cccost"};

  costcover::testing::RunResult run(const std::string& args) { return run_costcover(db_.connection_string(), args); }
  void ok(const std::string& args) {
    const auto result = run(args);
    ASSERT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
  }
  void load_contracts(bool carry_forward = false, const std::string& threshold_percent = "1.0") {
    ok("contracts load '" + sample_contracts(tmp_, carry_forward, threshold_percent).string() + "'");
  }
  std::string sample_ledger() const { return costcover::testing::source_dir() + "/contracts/costs/ledger-2026.csv"; }

  // Total cost per service from a proposal's unit_costs.csv.
  std::map<std::string, Money> service_costs() {
    const fs::path out = tmp_.path() / "costs-probe";
    ok("prices propose --year 2026 --out '" + out.string() + "'");
    std::map<std::string, Money> costs;
    const auto rows = csv_rows(read_file(out / "unit_costs.csv"));
    for (std::size_t i = 1; i < rows.size(); ++i) costs[rows[i][0]] = Money::parse(rows[i][4]);
    return costs;
  }

  // A year of final invoices: every month, agencies KTL, LVT and MMV are billed for every
  // service in the weights 1:2:3; a service's revenue is its cost x factor_percent / 100.
  void invoice_year(const std::map<std::string, Money>& costs, const std::map<std::string, int>& factor_percent) {
    const std::vector<std::pair<std::string, int>> agencies = {{"KTL", 1}, {"LVT", 2}, {"MMV", 3}};
    for (int month = 1; month <= 12; ++month) {
      const std::string period = "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month);
      for (const auto& [agency, weight] : agencies) {
        for (const bool vat : {false, true}) {
          costcover::testing::FixtureInvoice invoice{"final", agency, period, vat, {}, {}};
          for (const auto& [service, cost] : costs) {
            if ((service == "archiving") != vat) continue;
            const std::int64_t yearly = cost.cents() * factor_percent.at(service) / 100;
            // The agency's share of the month; the last month takes what rounding left.
            const std::int64_t agency_year = yearly * weight / 6;
            const std::int64_t monthly = agency_year / 12;
            invoice.lines.push_back(costcover::testing::line(
                "usage", service, Money::from_cents(month < 12 ? monthly : agency_year - 11 * monthly)));
          }
          (void)costcover::testing::add_invoice(db_.session(), invoice);
        }
      }
    }
  }

  // Settlement lines of 2026 per service (drafts and finals).
  std::map<std::string, Money> settlement_by_service() {
    std::map<std::string, Money> out;
    const auto rows = db::query(db_.session(),
                                "SELECT l.service, CAST(sum(l.amount) AS text) FROM invoice_line l "
                                "WHERE l.kind = 'settlement' GROUP BY l.service");
    for (std::size_t r = 0; r < rows.size(); ++r) out[rows.text(r, 0)] = Money::parse(rows.text(r, 1));
    return out;
  }

  // Fees and charges on several services, with a credit note and a correction of them: KTL
  // a monthly fee on account-management (a service without transactions) and a charge on
  // fixed-asset; LVT a charge on archiving (VAT group); the fee of March credited and
  // corrected by +50.00 in April. Returns their net sum: 12 x 250.00 + 1 800.00 + 400.00
  // - 250.00 + 50.00 = 5 000.00.
  Money fees_and_charges() {
    namespace t = costcover::testing;
    auto& session = db_.session();
    std::int64_t march = 0;
    for (int month = 1; month <= 12; ++month) {
      const std::string period = "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month);
      std::vector<t::FixtureLine> lines = {
          t::line("fee", "account-management", Money::parse("250.00"), "fee base-fee")};
      if (month == 2) lines.push_back(t::line("charge", "fixed-asset", Money::parse("1800.00"), "exception EX-5"));
      const std::int64_t id = t::add_invoice(session, {"final", "KTL", period, false, lines, {}});
      if (month == 3) march = id;
    }
    (void)t::add_invoice(session, {"final",
                                   "LVT",
                                   "2026-05",
                                   true,
                                   {t::line("charge", "archiving", Money::parse("400.00"), "exception EX-1")},
                                   {}});
    (void)t::add_invoice(session, {"final",
                                   "KTL",
                                   "2026-03",
                                   false,
                                   {t::line("fee", "account-management", Money::parse("-250.00"), "fee base-fee")},
                                   march});
    (void)t::add_invoice(session,
                         {"final",
                          "KTL",
                          "2026-04",
                          false,
                          {t::line("correction", "account-management", Money::parse("50.00"), "fee base-fee", march)},
                          {}});
    return Money::parse("5000.00");
  }

  // Every final invoice line of 2026 other than settlement lines, summed straight from the table.
  Money final_lines_2026() {
    return Money::parse(text(db_.session(),
                             "SELECT CAST(sum(l.amount) AS text) FROM invoice i JOIN invoice_line l ON "
                             "l.invoice_id = i.id WHERE i.status = 'final' AND i.period LIKE '2026-%' AND "
                             "l.kind <> 'settlement'"));
  }

  std::string settlement_snapshot() {
    std::string out;
    const auto rows = db::query(db_.session(),
                                "SELECT i.status || ' ' || i.agency || ' ' || i.period || ' ' || i.vat_group || "
                                "' ' || l.line_no || ' ' || l.service || ' ' || CAST(l.amount AS text) || ' ' "
                                "|| l.description FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id "
                                "WHERE l.kind = 'settlement' ORDER BY 1");
    for (std::size_t r = 0; r < rows.size(); ++r) out += rows.text(r, 0) + '\n';
    return out;
  }
};

TEST_F(CostingJobs, ImportRejectsBadRowsWithReasonsAndReconciles) {
  load_contracts();
  const fs::path file = tmp_.path() / "ledger.csv";
  write_text(file,
             "period,cost_centre,account,amount\n"
             "2026-01,MGMT,4100 Salaries,1000.00\n"
             "2026-13,MGMT,4100 Salaries,1.00\n"
             "2025-12,MGMT,4100 Salaries,1.00\n"
             "2026-02,XYZ,4100 Salaries,1.00\n"
             "2026-02,ICT,4600 Licences,12.345\n"
             "2026-02,ICT,4600 Licences,12,5\n"
             "2026-02,ICT,4600 Licences,abc\n"
             "2026-03,AP,4100 Salaries \xff,5.00\n"
             "2026-03,AP,,5.00\n"
             "2026-03,AP,4100 Salaries,-250.50\n"
             "2026-12,PAYROLL,6800 Depreciation,8000\n");
  const auto result = run("costs import --year 2026 '" + file.string() + "'");
  ASSERT_EQ(result.status, 0) << result.out << result.err;
  const std::string f = file.string();
  EXPECT_NE(result.out.find("read 11 = accepted 3 + rejected 8"), std::string::npos) << result.out;
  const std::vector<std::string> expected = {
      f + ":3: period: period \"2026-13\" is not a month YYYY-MM [bad_period]",
      f + ":4: period: period 2025-12 is outside the year 2026 [period_outside_year]",
      f + ":5: cost_centre: cost centre \"XYZ\" is not in the cost model 2026 (known: AP, GL, ICT, MGMT, PAYROLL, "
          "PREMISES) [unknown_cost_centre]",
      f + ":6: amount: amount \"12.345\" has more than 2 decimals [too_many_decimals]",
      f + ":7: -: expected 4 fields (period,cost_centre,account,amount), got 5 [column_count]",
      f + ":8: amount: amount \"abc\" is not a number of euros like -1234.50 [bad_amount]",
      f + ":9: -: the row is not valid UTF-8 [invalid_utf8]",
      f + ":10: account: account is empty [empty_account]",
  };
  for (const auto& line : expected) EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;

  auto& session = db_.session();
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2026"), 3);
  EXPECT_EQ(text(session, "SELECT CAST(sum(amount) AS text) FROM cost_ledger WHERE year = 2026"), "8749.50");
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger_reject"), 8);
  EXPECT_EQ(text(session, "SELECT raw FROM cost_ledger_reject WHERE line = 9"), "2026-03,AP,4100 Salaries \\xFF,5.00");
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM cost_ledger_load WHERE rows_read = 11 AND accepted = 3 AND "
                  "rejected = 8 AND total = 8749.50"),
            1);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM job_run WHERE job = 'costs import' AND outcome = 'succeeded' AND "
                  "(row_counts->>'rejected')::int = 8"),
            1);

  // A file whose rows are all bad is refused, and the ledger stays as it was.
  const fs::path bad = tmp_.path() / "bad.csv";
  write_text(bad, "period,cost_centre,account,amount\n2027-01,MGMT,4100 Salaries,1.00\n");
  const auto refused = run("costs import --year 2026 '" + bad.string() + "'");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("every row of the file was rejected (1); the ledger of 2026 is left as it was"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2026"), 3);
  // A wrong header is refused before anything is read.
  write_text(bad, "period;cost_centre;account;amount\n");
  const auto header = run("costs import --year 2026 '" + bad.string() + "'");
  EXPECT_EQ(header.status, 1);
  EXPECT_NE(header.err.find("is not the cost ledger header \"period,cost_centre,account,amount\""), std::string::npos)
      << header.err;
  EXPECT_EQ(run("costs import '" + bad.string() + "'").status, 2);
  // --year is a year the program works in (2000..2099), for every yearly command.
  for (const std::string args :
       {"costs import --year 1999 x.csv", "prices propose --year 2100 --out x", "settle --year 20260"}) {
    const auto usage = run(args);
    EXPECT_EQ(usage.status, 2) << args;
    EXPECT_NE(usage.err.find("--year expects a year YYYY from 2000 to 2099, got \""), std::string::npos) << args << "\n"
                                                                                                         << usage.err;
  }
}

TEST_F(CostingJobs, ReloadIsANoOpAndACorrectedFileReplacesItsYearOnly) {
  load_contracts();
  auto& session = db_.session();
  const fs::path y2025 = tmp_.path() / "ledger-2025.csv";
  write_text(y2025,
             "period,cost_centre,account,amount\n2025-06,AP,4100 Salaries,500.00\n2025-07,GL,4300 Rents,70.00\n");
  ok("costs import --year 2025 '" + y2025.string() + "'");
  ok("costs import --year 2026 '" + sample_ledger() + "'");
  const long long rows2026 = count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2026");
  EXPECT_GT(rows2026, 300);

  const auto again = run("costs import --year 2026 '" + sample_ledger() + "'");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger_load"), 2);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2026"), rows2026);

  // The corrected file: one row fixed, one added.
  std::string corrected = read_file(sample_ledger());
  corrected += "2026-12,AP,4400 Purchased services,1234.56\n";
  const fs::path fixed = tmp_.path() / "ledger-2026-corrected.csv";
  write_text(fixed, corrected);
  const auto replaced = run("costs import --year 2026 '" + fixed.string() + "'");
  ASSERT_EQ(replaced.status, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("replaces the ledger of 2026 from load 2"), std::string::npos) << replaced.out;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2026"), rows2026 + 1);
  EXPECT_EQ(count(session, "SELECT count(DISTINCT load_id) FROM cost_ledger WHERE year = 2026"), 1);
  EXPECT_EQ(text(session, "SELECT CAST(sum(amount) AS text) FROM cost_ledger WHERE year = 2025"), "570.00");
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2025 AND load_id = 1"), 2);
  EXPECT_EQ(text(session,
                 "SELECT CAST(sum(c.amount) = l.total AS text) FROM cost_ledger c JOIN cost_ledger_load l "
                 "ON l.id = c.load_id WHERE c.year = 2026 GROUP BY l.total"),
            "true");
}

TEST_F(CostingJobs, ProposeTwiceGivesIdenticalFilesThatAddUp) {
  load_contracts();
  ok("costs import --year 2026 '" + sample_ledger() + "'");
  const fs::path a = tmp_.path() / "a";
  const fs::path b = tmp_.path() / "b";
  ok("prices propose --year 2026 --out '" + a.string() + "'");
  const auto second = run("prices propose --year 2026 --out '" + b.string() + "'");
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("KTL total"), std::string::npos) << second.out;
  for (const char* name : {"allocation.csv", "unit_costs.csv", "prices/2027.yaml", "what_if.csv"}) {
    ASSERT_TRUE(fs::exists(a / name)) << name;
    EXPECT_EQ(read_file(a / name), read_file(b / name)) << name;
  }
  // Production centres' totals = ledger total + imputed interest; unit costs sum to the same.
  const Money ledger = Money::parse(text(db_.session(), "SELECT CAST(sum(amount) AS text) FROM cost_ledger"));
  const Money interest = Money::parse("45150.00");  // 0.03 x (620 000 + 310 000 + 480 000 + 95 000)
  Money production;
  for (const auto& row : csv_rows(read_file(a / "allocation.csv"))) {
    if (row.size() > 5 && row[1] == "production") production += Money::parse(row[5]);
  }
  EXPECT_EQ(production, ledger + interest);
  Money services;
  const auto units = csv_rows(read_file(a / "unit_costs.csv"));
  for (std::size_t i = 1; i < units.size(); ++i) services += Money::parse(units[i][4]);
  EXPECT_EQ(services, ledger + interest);
  const std::string yaml = read_file(a / "prices/2027.yaml");
  EXPECT_NE(yaml.find("year: 2027"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("# Ledger 2026: ledger-2026.csv (sha256 "), std::string::npos) << yaml;
  EXPECT_EQ(count(db_.session(),
                  "SELECT count(*) FROM job_run WHERE job = 'prices propose' AND outcome = "
                  "'succeeded' AND inputs->>'ledger_sha256' <> ''"),
            2);
}

TEST_F(CostingJobs, SettlementLinesSumToTheDifferenceAndBringTheResultToZero) {
  load_contracts();
  ok("costs import --year 2026 '" + sample_ledger() + "'");
  const auto costs = service_costs();
  auto& session = db_.session();

  // Refused while the year has no final invoices; nothing recorded.
  const auto early = run("settle --year 2026 --out '" + (tmp_.path() / "early").string() + "'");
  EXPECT_EQ(early.status, 1);
  EXPECT_NE(early.err.find("the year 2026 is not fully invoiced: no final invoice for 2026-01"), std::string::npos)
      << early.err;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_settlement"), 0);

  // Revenue: purchase-invoice 10 % above cost (surplus, settled), sales-invoice 0.5 %
  // below (within the 1 % threshold: carried forward), payment 7 % below (deficit, settled).
  std::map<std::string, int> factor;
  for (const auto& [service, cost] : costs) factor[service] = 100;
  factor["purchase-invoice"] = 110;
  factor["payment"] = 93;
  invoice_year(costs, factor);
  // sales-invoice at 99.5 %: take 0.5 % of its cost off one December line.
  const Money cut = Money::from_cents(costs.at("sales-invoice").cents() / 200);
  // A final December invoice of MMV correcting an earlier sales-invoice line.
  const std::int64_t corrected = std::stoll(db::scalar(session, "SELECT min(id) FROM invoice WHERE agency = 'MMV'"));
  (void)costcover::testing::add_invoice(
      session, {"final",
                "MMV",
                "2026-12",
                false,
                {costcover::testing::line("correction", "sales-invoice", -cut, "list 2026", corrected)},
                {}});

  const fs::path out = tmp_.path() / "settle";
  const auto first = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(first.status, 0) << first.out << first.err;
  const std::string matching = read_file(out / "matching.csv");
  const std::string html = read_file(out / "matching.html");
  // The published calculation, in Finnish by default; no 2025 in this database, so one year.
  EXPECT_NE(html.find("<h1>Kustannusvastaavuuslaskelma 2026</h1>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Tulos tasauksen jälkeen</th>"), std::string::npos);
  EXPECT_EQ(html.find("class=\"years\""), std::string::npos);

  // matching.csv: revenue, total cost and surplus per service.
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& row : csv_rows(matching)) rows[row[1]] = row;
  ASSERT_EQ(rows.count("TOTAL"), 1U) << matching;
  const auto settled = settlement_by_service();
  for (const char* service : {"purchase-invoice", "payment"}) {
    const Money revenue = Money::parse(rows[service][2]);
    const Money cost = Money::parse(rows[service][14]);
    const Money surplus = Money::parse(rows[service][15]);
    EXPECT_EQ(surplus, revenue - cost) << service;
    ASSERT_EQ(settled.count(service), 1U) << service;
    EXPECT_EQ(settled.at(service), -surplus) << service;
    EXPECT_EQ(revenue + settled.at(service) - cost, Money()) << service;
  }
  EXPECT_LT(Money::parse(rows["purchase-invoice"][15]), Money::parse(rows["purchase-invoice"][2]));
  EXPECT_GT(Money::parse(rows["purchase-invoice"][15]), Money());  // a surplus: credited
  EXPECT_LT(settled.at("purchase-invoice"), Money());
  EXPECT_GT(settled.at("payment"), Money());  // a deficit: charged
  EXPECT_EQ(settled.count("sales-invoice"), 0U);
  EXPECT_EQ(text(session, "SELECT decision FROM cost_settlement WHERE service = 'sales-invoice'"), "carry_forward");
  // Every settlement line is on a draft of 2026-12, one per agency and service, in
  // proportion 1:2:3 (KTL, LVT, MMV) of what each was invoiced.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id WHERE "
                  "l.kind = 'settlement' AND (i.status <> 'draft' OR i.period <> '2026-12')"),
            0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice_line WHERE kind = 'settlement' AND service = 'payment'"), 3);
  // Draft totals add up.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i WHERE i.net_total <> (SELECT sum(amount) FROM invoice_line "
                  "l WHERE l.invoice_id = i.id)"),
            0);

  // Running it again gives the same files and replaces the drafts with the same lines.
  const std::string before = settlement_snapshot();
  const auto second = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("replaced"), std::string::npos) << second.out;
  EXPECT_EQ(read_file(out / "matching.csv"), matching);
  EXPECT_EQ(read_file(out / "matching.html"), html);
  EXPECT_EQ(settlement_snapshot(), before);

  // Finalised through the normal finalisation; settle again adds nothing.
  ok("finalize --period 2026-12 --issue-date 2027-02-15");
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id WHERE "
                  "l.kind = 'settlement' AND i.status = 'draft'"),
            0);
  const auto third = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(third.status, 0) << third.err;
  EXPECT_NE(third.out.find("no settlement drafts"), std::string::npos) << third.out;
  EXPECT_EQ(settlement_by_service(), settled);
  EXPECT_EQ(read_file(out / "matching.csv"), matching);
  // In Swedish on request; an unknown language is a usage error.
  const fs::path out_sv = tmp_.path() / "settle-sv";
  ASSERT_EQ(run("settle --year 2026 --language sv --out '" + out_sv.string() + "'").status, 0);
  EXPECT_NE(read_file(out_sv / "matching.html").find("Kalkyl över kostnadsmotsvarighet 2026"), std::string::npos);
  EXPECT_EQ(run("settle --year 2026 --language de --out '" + out_sv.string() + "'").status, 2);
}

// With a threshold of 0 % every difference is settled: fees and charges in their services'
// revenue, the settlement brings each service to zero, and the centre's result after it is
// 0.00. Credits are credit notes (per agency and VAT group), numbered by finalisation.
TEST_F(CostingJobs, FeesAndChargesAreMatchedAndTheResultIsZeroWhenAllIsSettled) {
  load_contracts(/*carry_forward=*/false, /*threshold_percent=*/"0");
  ok("costs import --year 2026 '" + sample_ledger() + "'");
  const auto costs = service_costs();
  ASSERT_EQ(costs.count("account-management"), 1U);  // a fee-only service has its share of the cost
  std::map<std::string, int> factor;
  for (const auto& [service, cost] : costs) factor[service] = 100;
  factor["purchase-invoice"] = 110;  // a surplus: credited
  factor["payment"] = 93;            // a deficit: charged
  invoice_year(costs, factor);
  const Money fees = fees_and_charges();
  auto& session = db_.session();
  EXPECT_EQ(Money::parse(text(session,
                              "SELECT CAST(sum(amount) AS text) FROM invoice_line WHERE kind IN ('fee', "
                              "'charge') OR (kind = 'correction' AND service = 'account-management')")),
            fees);

  const fs::path out = tmp_.path() / "settle";
  const auto settled = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(settled.status, 0) << settled.out << settled.err;
  EXPECT_EQ(settled.out.find("not matched"), std::string::npos) << settled.out;
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& row : csv_rows(read_file(out / "matching.csv"))) rows[row[1]] = row;
  // The TOTAL revenue is every final line of the year (credit note and correction included).
  EXPECT_EQ(Money::parse(rows["TOTAL"][2]), final_lines_2026());
  // account-management: its usage lines of invoice_year, the fees, the credit note, the correction.
  const Money usage = Money::parse(text(session,
                                        "SELECT CAST(sum(l.amount) AS text) FROM invoice_line l WHERE l.kind = "
                                        "'usage' AND l.service = 'account-management'"));
  EXPECT_EQ(Money::parse(rows["account-management"][2]), usage + Money::parse("2800.00"));  // 3 000 - 250 + 50
  EXPECT_EQ(Money::parse(rows["archiving"][2]) - Money::parse("400.00"),
            Money::parse(text(session,
                              "SELECT CAST(sum(amount) AS text) FROM invoice_line WHERE kind = 'usage' AND "
                              "service = 'archiving'")));

  // Every service settled to zero; the centre's result is 0.00, printed and recorded.
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_settlement WHERE decision = 'carry_forward' AND surplus <> 0"),
            0);
  EXPECT_NE(settled.out.find("= 0.00\n  every difference settled: nothing is carried forward\n"), std::string::npos)
      << settled.out;
  EXPECT_EQ(text(session, "SELECT CAST(result AS text) FROM v_settlement_result WHERE year = 2026"), "0.00");
  EXPECT_EQ(Money::parse(rows["TOTAL"][2]) +
                Money::parse(text(session, "SELECT CAST(sum(amount) AS text) FROM settlement_lines(2026)")) -
                Money::parse(rows["TOTAL"][14]),
            Money());

  // A credit per agency and VAT group is a credit note of no invoice, never a negative invoice.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice WHERE settles_year = 2026 AND kind = 'invoice' AND "
                  "net_total < 0"),
            0);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice WHERE settles_year = 2026 AND kind = 'credit_note' AND "
                  "net_total < 0 AND credited_invoice_id IS NULL AND credit_reason <> ''"),
            count(session,
                  "SELECT count(*) FROM (SELECT i.id FROM invoice i JOIN invoice_line l ON l.invoice_id = "
                  "i.id WHERE l.kind = 'settlement' GROUP BY i.id HAVING sum(l.amount) < 0) c"));
  EXPECT_GT(count(session, "SELECT count(*) FROM invoice WHERE settles_year = 2026 AND kind = 'credit_note'"), 0);
  // Finalisation numbers them with the invoices; settle again adds nothing.
  ok("finalize --period 2026-12 --issue-date 2027-02-15");
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE settles_year = 2026 AND status = 'draft'"), 0);
  EXPECT_GT(count(session,
                  "SELECT count(*) FROM invoice WHERE settles_year = 2026 AND kind = 'credit_note' AND "
                  "number IS NOT NULL"),
            0);
  const auto again = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("no settlement drafts"), std::string::npos) << again.out;
  EXPECT_EQ(text(session, "SELECT CAST(result AS text) FROM v_settlement_result WHERE year = 2026"), "0.00");
}

// With the sample threshold of 1 %, small differences carry forward: the centre's result
// after the settlement is exactly the carried total, which the next proposal takes in.
TEST_F(CostingJobs, TheResultIsTheCarriedTotalOtherwise) {
  load_contracts();
  ok("costs import --year 2026 '" + sample_ledger() + "'");
  const auto costs = service_costs();
  std::map<std::string, int> factor;
  for (const auto& [service, cost] : costs) factor[service] = 100;
  factor["purchase-invoice"] = 110;  // settled
  factor["sales-invoice"] = 101;     // a surplus of 1 % of cost, within 1 % of its revenue: carried
  invoice_year(costs, factor);
  (void)fees_and_charges();
  auto& session = db_.session();
  const fs::path out = tmp_.path() / "settle";
  const auto settled = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(settled.status, 0) << settled.out << settled.err;
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& row : csv_rows(read_file(out / "matching.csv"))) rows[row[1]] = row;
  EXPECT_EQ(Money::parse(rows["TOTAL"][2]), final_lines_2026());

  const Money carried = Money::parse(
      text(session,
           "SELECT CAST(sum(surplus) AS text) FROM cost_settlement WHERE year = 2026 AND decision = 'carry_forward'"));
  const Money settlement =
      Money::parse(text(session, "SELECT CAST(coalesce(sum(amount), 0) AS text) FROM settlement_lines(2026)"));
  const Money result = Money::parse(rows["TOTAL"][2]) + settlement - Money::parse(rows["TOTAL"][14]);
  EXPECT_NE(result, Money());
  EXPECT_EQ(result, carried);
  EXPECT_EQ(Money::parse(text(session, "SELECT CAST(result AS text) FROM v_settlement_result WHERE year = 2026")),
            carried);
  EXPECT_NE(settled.out.find(" = " + carried.to_display() +
                             "\n  carried forward into a later price list: " + carried.to_display() + " over "),
            std::string::npos)
      << settled.out;
}

TEST_F(CostingJobs, CarryForwardCreatesNoLinesAndGoesIntoTheNextProposal) {
  load_contracts(/*carry_forward=*/true);
  ok("costs import --year 2026 '" + sample_ledger() + "'");
  const auto costs = service_costs();
  std::map<std::string, int> factor;
  for (const auto& [service, cost] : costs) factor[service] = 100;
  factor["purchase-invoice"] = 110;
  invoice_year(costs, factor);
  const fs::path out = tmp_.path() / "carry";
  const auto settle = run("settle --year 2026 --out '" + out.string() + "'");
  ASSERT_EQ(settle.status, 0) << settle.out << settle.err;
  auto& session = db_.session();
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice_line WHERE kind = 'settlement'"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_settlement WHERE decision = 'settle'"), 0);
  const Money surplus = Money::parse(
      text(session, "SELECT CAST(surplus AS text) FROM cost_settlement WHERE service = 'purchase-invoice'"));
  EXPECT_GT(surplus, Money());

  ok("prices propose --year 2026 --out '" + out.string() + "'");
  const std::string yaml = read_file(out / "prices/2027.yaml");
  EXPECT_NE(
      yaml.find("# purchase-invoice: surplus " + surplus.to_string() + " of 2026 carried forward into the price."),
      std::string::npos)
      << yaml;
  // The price covers cost - surplus over the forecast volume, rounded up to the cent.
  const auto units = csv_rows(read_file(out / "unit_costs.csv"));
  for (std::size_t i = 1; i < units.size(); ++i) {
    if (units[i][0] != "purchase-invoice") continue;
    const std::int64_t volume = std::stoll(units[i][5]);
    const std::int64_t to_cover = (Money::parse(units[i][4]) - surplus).cents();
    const std::int64_t cents = (to_cover + volume - 1) / volume;
    const std::string price =
        std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
    EXPECT_NE(yaml.find("purchase-invoice: " + price + "\n"), std::string::npos) << price << "\n" << yaml;
    EXPECT_NE(units[i][7], price + "00");  // unit_costs.csv keeps the plain unit cost's price
  }
}

// A small budget: three valid rows and two rejects, for 2027.
constexpr const char* kBudget2027 =
    "period,cost_centre,account,amount\n"
    "2027-01,MGMT,4100 Salaries,1000.00\n"
    "2026-12,MGMT,4100 Salaries,1.00\n"
    "2027-02,XYZ,4100 Salaries,1.00\n"
    "2027-02,AP,4600 Licences,250.25\n"
    "2027-12,PAYROLL,6800 Depreciation,8000\n";

TEST_F(CostingJobs, BudgetImportIsKeptApartWithTheLedgersChecksAndHistory) {
  load_contracts();
  auto& session = db_.session();
  const fs::path file = tmp_.path() / "budget-2027.csv";
  write_text(file, kBudget2027);
  const auto result = run("costs import --year 2027 --budget '" + file.string() + "'");
  ASSERT_EQ(result.status, 0) << result.out << result.err;
  const std::string f = file.string();
  EXPECT_NE(result.out.find(f + ": budget 2027 load 1: read 5 = accepted 3 + rejected 2; total 9 250.25"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(f + ":3: period: period 2026-12 is outside the year 2027 [period_outside_year]"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(f + ":4: cost_centre: cost centre \"XYZ\" is not in the cost model 2027"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget WHERE year = 2027"), 3);
  EXPECT_EQ(text(session, "SELECT CAST(sum(amount) AS text) FROM cost_budget WHERE year = 2027"), "9250.25");
  EXPECT_EQ(text(session, "SELECT string_agg(reason_code, ',' ORDER BY line) FROM cost_budget_reject"),
            "period_outside_year,unknown_cost_centre");
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM cost_budget_load WHERE year = 2027 AND rows_read = 5 AND accepted = 3 "
                  "AND rejected = 2 AND total = 9250.25 AND replaced_load_id IS NULL"),
            1);
  EXPECT_EQ(count(session, "SELECT count(*) FROM v_cost_budget WHERE year = 2027"), 3);
  // Nothing of it is in the ledger's tables.
  EXPECT_EQ(count(session,
                  "SELECT (SELECT count(*) FROM cost_ledger_load) + (SELECT count(*) FROM cost_ledger) + "
                  "(SELECT count(*) FROM cost_ledger_reject)"),
            0);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM job_run WHERE job = 'costs import' AND outcome = 'succeeded' AND "
                  "inputs->>'basis' = 'budget'"),
            1);

  // The same file again: unchanged.
  const auto again = run("costs import --year 2027 '--budget=" + file.string() + "'");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("unchanged, nothing to do: the same file"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("is already the budget of 2027 (load 1"), std::string::npos) << again.out;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget_load"), 1);

  // A ledger import leaves the budget alone, and the same bytes as a ledger are a new load.
  write_text(tmp_.path() / "ledger-2027.csv", kBudget2027);
  ok("costs import --year 2027 '" + (tmp_.path() / "ledger-2027.csv").string() + "'");
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_ledger WHERE year = 2027"), 3);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget WHERE year = 2027 AND load_id = 1"), 3);

  // A corrected budget replaces the year's budget; the first load and its rejects stay.
  write_text(file, std::string(kBudget2027) + "2027-06,GL,4300 Rents,99.75\n");
  const auto replaced = run("costs import --year 2027 --budget '" + file.string() + "'");
  ASSERT_EQ(replaced.status, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("budget 2027 load 2: read 6 = accepted 4 + rejected 2; total 9 350.00"),
            std::string::npos)
      << replaced.out;
  EXPECT_NE(replaced.out.find("replaces the budget of 2027 from load 1"), std::string::npos) << replaced.out;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget WHERE year = 2027 AND load_id = 2"), 4);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget WHERE load_id = 1"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget_reject WHERE load_id = 1"), 2);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget_load WHERE id = 2 AND replaced_load_id = 1"), 1);
  EXPECT_EQ(text(session, "SELECT CAST(sum(amount) AS text) FROM cost_ledger WHERE year = 2027"), "9250.25");

  // A budget whose rows are all rejected is refused; the budget stays as it was.
  const fs::path bad = tmp_.path() / "bad-budget.csv";
  write_text(bad, "period,cost_centre,account,amount\n2026-01,MGMT,4100 Salaries,1.00\n");
  const auto refused = run("costs import --year 2027 --budget '" + bad.string() + "'");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("every row of the file was rejected (1); the budget of 2027 is left as it was"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget_load"), 2);
  EXPECT_EQ(count(session, "SELECT count(*) FROM cost_budget WHERE year = 2027 AND load_id = 2"), 4);
}

TEST_F(CostingJobs, BudgetOptionsUsageAndHelp) {
  // --budget takes the file (a positional file beside it is one too many); propose's --budget is a flag.
  for (const std::string args : {"costs import --year 2027 --budget", "costs import --budget --year 2027",
                                 "costs import --year 2027 --budget a.csv b.csv",
                                 "costs import --year 2027 --budget=", "prices propose --year 2027 --budget",
                                 "prices propose --year 2027 --budget x --out y"}) {
    EXPECT_EQ(run(args).status, 2) << args;
  }
  EXPECT_NE(run("costs import --year 2027 --budget").err.find("--budget needs a value"), std::string::npos);
  EXPECT_NE(run("costs import --budget --year 2027").err.find("--budget needs a file: --budget FILE.csv"),
            std::string::npos);
  const auto import_help = run("costs import --help");
  EXPECT_EQ(import_help.status, 0);
  EXPECT_NE(import_help.out.find("Usage: costcover costs import --year YYYY FILE.csv\n"
                                 "       costcover costs import --year YYYY --budget FILE.csv\n"),
            std::string::npos)
      << import_help.out;
  EXPECT_NE(import_help.out.find("(or --budget=FILE.csv)"), std::string::npos) << import_help.out;
  const auto propose_help = run("prices propose --help");
  EXPECT_NE(propose_help.out.find("Usage: costcover prices propose --year YYYY --out DIR\n"
                                  "       costcover prices propose --year YYYY --budget --out DIR\n"),
            std::string::npos)
      << propose_help.out;
  EXPECT_NE(propose_help.out.find("--budget: the prices of YYYY ITSELF, before the year starts"), std::string::npos)
      << propose_help.out;
}

// The cost model 2027 of the budget test: one support centre, two production centres.
constexpr const char* kSmallModel2027 = R"(cost_model:
  year: 2027
  method: step_down
cost_centres:
  - id: MGMT
    kind: support
    allocate: {driver: fte}
  - id: AP
    kind: production
    services: {purchase-invoice: 0.8, payment: 0.2}
  - id: PAYROLL
    kind: production
    services: {payslip: 1.0}
drivers:
  fte: {MGMT: 2, AP: 3, PAYROLL: 1}
capital_costs:
  imputed_interest_rate: 0.05
  assets:
    - {id: payroll-system, cost_centre: PAYROLL, book_value: 20000.00}
cost_types:
  personnel: ["41"]
  other: [""]
forecast_volumes: {purchase-invoice: 10000, payment: 3000, payslip: 700}
settlement:
  mode: carry_forward
)";

TEST_F(CostingJobs, BudgetProposalBeforeTheYearIsTheHandCalculation) {
  const fs::path contracts = sample_contracts(tmp_, false);
  write_text(contracts / "costs" / "2027.yaml", kSmallModel2027);
  ok("contracts load '" + contracts.string() + "'");
  auto& session = db_.session();
  const fs::path budget = tmp_.path() / "budget-2027.csv";
  write_text(budget,
             "period,cost_centre,account,amount\n"
             "2027-01,MGMT,4100 Salaries,4000.00\n"
             "2027-06,MGMT,4300 Rents,2000.00\n"
             "2027-01,AP,4100 Salaries,30000.00\n"
             "2027-02,AP,4600 Licences,4000.00\n"
             "2027-03,PAYROLL,4100 Salaries,8250.00\n");
  ok("costs import --year 2027 --budget '" + budget.string() + "'");
  // Before the year: no transaction, no invoice, no ledger of 2027; the ledger's meaning of
  // propose has nothing to allocate.
  EXPECT_EQ(count(session,
                  "SELECT (SELECT count(*) FROM delivered_transaction) + (SELECT count(*) FROM invoice) + "
                  "(SELECT count(*) FROM cost_ledger)"),
            0);
  const auto without = run("prices propose --year 2027 --out '" + (tmp_.path() / "no").string() + "'");
  EXPECT_EQ(without.status, 1);
  EXPECT_NE(without.err.find("no cost ledger of 2027 in the database"), std::string::npos) << without.err;

  // By hand. Budget 48 250.00: MGMT 6 000.00, AP 34 000.00, PAYROLL 8 250.00; imputed
  // interest 0.05 x 20 000.00 = 1 000.00 on PAYROLL.
  // MGMT by fte, its own 2 left out: AP 3/4 x 6 000 = 4 500.00, PAYROLL 1/4 = 1 500.00.
  // AP 34 000 + 4 500 = 38 500.00: purchase-invoice 0.8 = 30 800.00 (direct 27 200.00,
  //   support 3 600.00), payment 0.2 = 7 700.00 (direct 6 800.00, support 900.00).
  // PAYROLL 8 250 + 1 500 + 1 000 = 10 750.00: payslip (capital 1 000.00).
  // Unit costs: 30 800 / 10 000 = 3.0800 -> 3.08; 7 700 / 3 000 = 2.56666.. -> 2.5667, up
  //   to the cent 2.57; 10 750 / 700 = 15.357142.. -> 15.3571, up to 15.36.
  const fs::path out = tmp_.path() / "budget-2027";
  const auto first = run("prices propose --year 2027 --budget --out '" + out.string() + "'");
  ASSERT_EQ(first.status, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("Proposed prices for 2027 from the budget and cost model of 2027"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("note: no year before 2027 has been settled"), std::string::npos) << first.out;
  std::map<std::string, std::vector<std::string>> units;
  for (const auto& row : csv_rows(read_file(out / "unit_costs.csv"))) units[row[0]] = row;
  const std::vector<std::vector<std::string>> expected_units = {
      {"purchase-invoice", "27200.00", "3600.00", "0.00", "30800.00", "10000", "3.0800", "3.0800"},
      {"payment", "6800.00", "900.00", "0.00", "7700.00", "3000", "2.5667", "2.5700"},
      {"payslip", "8250.00", "1500.00", "1000.00", "10750.00", "700", "15.3571", "15.3600"},
  };
  for (const auto& row : expected_units) EXPECT_EQ(units[row[0]], row) << row[0];
  Money production;
  for (const auto& row : csv_rows(read_file(out / "allocation.csv"))) {
    if (row[0] == "MGMT") {
      EXPECT_EQ(row[4], "6000.00");  // allocated out
    }
    if (row.size() > 5 && row[1] == "production") production += Money::parse(row[5]);
  }
  EXPECT_EQ(production, Money::parse("49250.00"));  // the budget + interest
  const std::string hash = text(session, "SELECT file_hash FROM cost_budget_load WHERE id = 1");
  const std::string no_carry = read_file(out / "prices/2027.yaml");
  EXPECT_NE(no_carry.find("# Budget 2027: budget-2027.csv (sha256 " + hash + "), 5 rows, total 48250.00.\n"),
            std::string::npos)
      << no_carry;
  EXPECT_NE(no_carry.find("price_list:\n  year: 2027\n  basis: \"budget 2027 (load 1, sha256 " + hash +
                          "), cost model 2027, proposed by costcover\"\nprices:\n  purchase-invoice: 3.08\n"
                          "  payment: 2.57\n  payslip: 15.36\n"),
            std::string::npos)
      << no_carry;
  EXPECT_FALSE(fs::exists(out / "prices/2028.yaml"));

  // Settled years: 2026 carried a purchase-invoice surplus of 1 000.00 forward and settled
  // payment; 2025 (older) carried a payslip deficit, which is not the latest year's.
  db::exec(session,
           "INSERT INTO cost_settlement (year, service, revenue, total_cost, surplus, threshold, decision, reason, "
           "settled) VALUES (2026, 'purchase-invoice', 31000, 30000, 1000, 310, 'carry_forward', 'test', 0), "
           "(2026, 'payment', 8000, 7000, 1000, 80, 'settle', 'test', -1000), "
           "(2025, 'payslip', 10000, 10700, -700, 100, 'carry_forward', 'test', 0)");
  // purchase-invoice: (30 800.00 - 1 000.00) / 10 000 = 2.98; payment and payslip as before
  // (2025's deficit would have made payslip (10 750 + 700) / 700 = 16.36).
  const auto second = run("prices propose --year 2027 --budget --out '" + out.string() + "'");
  ASSERT_EQ(second.status, 0) << second.out << second.err;
  const std::string yaml = read_file(out / "prices/2027.yaml");
  EXPECT_NE(yaml.find("# purchase-invoice: surplus 1000.00 of 2026 carried forward into the price.\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("with differences of 2026 carried forward\"\nprices:\n  purchase-invoice: 2.98\n"
                      "  payment: 2.57\n  payslip: 15.36\n"),
            std::string::npos)
      << yaml;
  // The what-if: 2027's proposal against the price list of 2026 (purchase-invoice 4.20).
  bool seen = false;
  for (const auto& row : csv_rows(read_file(out / "what_if.csv"))) {
    if (row[1] != "purchase-invoice") continue;
    seen = true;
    EXPECT_EQ(row[3], "4.2000") << row[0];
    EXPECT_EQ(row[4], "2.9800") << row[0];
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM job_run WHERE job = 'prices propose' AND outcome = 'succeeded' AND "
                  "inputs->>'budget_sha256' = '" +
                      hash + "' AND inputs->>'budget_load' = '1'"),
            2);
}

}  // namespace
