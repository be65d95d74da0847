// The walking skeleton end to end on a real PostgreSQL, through the program as a user
// runs it: contracts load -> generate -> ingest -> nightly -> bill -> export. The invoice
// totals are checked against totals this test computes on its own from the generated CSV
// files and the price list, with list-price-only agreements so the arithmetic is plain.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "contracts/loader.hpp"
#include "core/csv.hpp"
#include "core/decimal.hpp"
#include "core/money.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::Money;
using costcover::testing::run_costcover;

namespace {

constexpr const char* kMonth = "2026-10";

// A contracts folder: the sample catalog, agencies and price lists, and one list-price
// agreement per agency for every service of the catalog that the 2026 list prices (not
// account-management, which fees pay for).
costcover::model::ContractSet write_simple_contracts(const fs::path& dir) {
  const fs::path samples = fs::path(costcover::testing::source_dir()) / "contracts";
  fs::create_directories(dir / "agreements");
  fs::copy(samples / "catalog.yaml", dir / "catalog.yaml");
  fs::copy(samples / "agencies.yaml", dir / "agencies.yaml");
  fs::copy(samples / "prices", dir / "prices", fs::copy_options::recursive);
  auto samples_loaded = costcover::contracts::load_directory(samples.string());
  EXPECT_TRUE(samples_loaded.ok()) << (samples_loaded.findings.empty() ? "" : samples_loaded.findings[0].to_string());
  for (const auto& agency : samples_loaded.contracts.agencies) {
    std::ofstream out(dir / "agreements" / (agency.id + ".yaml"));
    out << "agreement:\n  id: SA-SKEL-" << agency.id << "\n  version: 1\n  client: " << agency.id
        << "\n  valid: {from: 2026-01-01, to: 2027-12-31}\n  billing:\n    buyer_reference: \"SKEL-" << agency.id
        << "\"\nservices:\n";
    for (const auto& service : samples_loaded.contracts.catalog.services) {
      const auto* list = samples_loaded.contracts.price_list(2026);
      if (list == nullptr || !list->price_of(service.id)) continue;
      out << "  - service: " << service.id << "\n    price: list\n    volume: {forecast: 300}\n";
    }
  }
  auto loaded = costcover::contracts::load_directory(dir.string());
  EXPECT_TRUE(loaded.ok()) << (loaded.findings.empty() ? "" : loaded.findings[0].to_string());
  return loaded.contracts;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<costcover::CsvRecord> read_csv(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  costcover::CsvReader reader(in);
  std::vector<costcover::CsvRecord> records;
  costcover::CsvRecord record;
  while (reader.next(record)) records.push_back(record);
  return records;
}

// agency -> expected net total, from the transaction files: the last state of each
// (source, txn_id), cancelled ones left out; one usage line per agency and service.
std::map<std::string, Money> expected_totals(const fs::path& dir, const costcover::model::ContractSet& set) {
  struct State {
    std::string agency, service;
    std::int64_t quantity = 0;
    bool cancelled = false;
  };
  std::map<std::pair<std::string, std::string>, State> transactions;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".csv" || name.find("rejects") != std::string::npos) continue;
    const std::string source = entry.path().stem().string();
    const auto records = read_csv(entry.path());
    for (std::size_t i = 1; i < records.size(); ++i) {
      const auto& f = records[i].fields;
      EXPECT_EQ(f.size(), 8U) << name << ":" << records[i].line;
      if (f.size() != 8) continue;
      auto& state = transactions[{source, f[0]}];
      if (f[7] == "cancelled") {
        state.cancelled = true;
      } else {
        state = State{f[1], f[2], f[5].empty() ? 1 : std::stoll(f[5]), false};
      }
    }
  }
  std::map<std::pair<std::string, std::string>, std::int64_t> quantities;
  for (const auto& [key, state] : transactions) {
    if (!state.cancelled) quantities[{state.agency, state.service}] += state.quantity;
  }
  const auto* prices = set.price_list(2026);
  EXPECT_NE(prices, nullptr);
  std::map<std::string, Money> totals;
  for (const auto& [key, quantity] : quantities) {
    const auto price = prices->price_of(key.second);
    EXPECT_TRUE(price.has_value()) << key.second;
    totals[key.first] += costcover::multiply_round(quantity, *price);
  }
  return totals;
}

// agency -> total of its invoice lines in invoices.csv, and the number of invoices.
std::map<std::string, Money> invoiced_totals(const fs::path& file, std::set<std::string>* invoices) {
  const auto records = read_csv(file);
  EXPECT_FALSE(records.empty());
  EXPECT_EQ(records[0].raw,
            "invoice_number,status,agency,period,issue_date,due_date,line_no,kind,service,description,quantity,"
            "unit_price,amount,vat_category,vat_rate,agreement_id,agreement_version,exception_id");
  std::map<std::string, Money> totals;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& f = records[i].fields;
    EXPECT_EQ(f.size(), 18U);
    if (f.size() != 18) continue;
    EXPECT_EQ(f[1], "draft");
    EXPECT_EQ(f[3], kMonth);
    EXPECT_EQ(f[7], "usage");
    totals[f[2]] += Money::parse(f[12]);
    // amount = quantity x unit price, rounded to the cent
    EXPECT_EQ(costcover::multiply_round(std::stoll(f[10]), costcover::Decimal::parse(f[11])), Money::parse(f[12]))
        << records[i].raw;
    if (invoices != nullptr) invoices->insert(f[2] + "/" + f[13]);
  }
  return totals;
}

TEST(Skeleton, InvoiceTotalsMatchTheGeneratedTransactionsAtListPrice) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccskel");
  const auto contracts = write_simple_contracts(tmp.path() / "contracts");
  const auto& conn = db.connection_string();

  auto step = [&](const std::string& args) {
    const auto result = run_costcover(conn, args);
    EXPECT_EQ(result.status, 0) << "costcover " << args << "\n" << result.out << result.err;
    return result;
  };
  step("contracts load " + (tmp.path() / "contracts").string());
  const auto tx = tmp.path() / "tx";
  step("generate --month " + std::string(kMonth) + " --seed 11 --contracts " + (tmp.path() / "contracts").string() +
       " --out " + tx.string());
  for (const auto& source : {"finance", "hr", "other"}) {
    if (fs::exists(tx / (std::string(source) + ".csv"))) {
      const auto load =
          step(std::string("ingest --source ") + source + " " + (tx / (std::string(source) + ".csv")).string());
      EXPECT_NE(load.out.find("rejected 0"), std::string::npos) << load.out;
    }
  }
  step("nightly");
  step("bill --period " + std::string(kMonth));
  step("export --period " + std::string(kMonth) + " --format csv --out " + (tmp.path() / "out").string());

  const auto expected = expected_totals(tx, contracts);
  std::set<std::string> invoices;
  const auto invoiced = invoiced_totals(tmp.path() / "out" / "invoices.csv", &invoices);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(invoiced.size(), contracts.agencies.size());
  for (const auto& [agency, total] : expected) {
    ASSERT_TRUE(invoiced.count(agency) == 1) << agency << " has no invoice";
    EXPECT_EQ(invoiced.at(agency), total) << agency;
  }

  // Running everything again gives the same invoices, not duplicates.
  for (const auto& source : {"finance", "hr", "other"}) {
    if (fs::exists(tx / (std::string(source) + ".csv"))) {
      const auto load =
          step(std::string("ingest --source ") + source + " " + (tx / (std::string(source) + ".csv")).string());
      EXPECT_NE(load.out.find("accepted 0"), std::string::npos) << load.out;
    }
  }
  step("nightly");
  step("bill --period " + std::string(kMonth));
  step("export --period " + std::string(kMonth) + " --format csv --out " + (tmp.path() / "out2").string());
  std::set<std::string> invoices_again;
  EXPECT_EQ(invoiced_totals(tmp.path() / "out2" / "invoices.csv", &invoices_again), invoiced);
  EXPECT_EQ(invoices_again, invoices);
  std::ifstream a(tmp.path() / "out" / "invoices.csv"), b(tmp.path() / "out2" / "invoices.csv");
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_EQ(sa.str(), sb.str());
}

// generate --as-of: the cut-off is a parameter, so a month that is not over yet is generated
// the same way every time. Cut at the end of a day, a file is the first lines of the whole
// month's file (rows come in day order, each day's cancellations at its end), and ingest
// with the same --as-of takes every row.
TEST(Skeleton, GenerateAsOfCutsTheMonthReproducibly) {
  costcover::testing::TestDatabase db;
  costcover::testing::TempDir tmp("ccasof");
  write_simple_contracts(tmp.path() / "contracts");
  const auto& conn = db.connection_string();
  const std::string common = " --seed 11 --contracts " + (tmp.path() / "contracts").string();
  auto step = [&](const std::string& args) {
    const auto result = run_costcover(conn, args);
    EXPECT_EQ(result.status, 0) << "costcover " << args << "\n" << result.out << result.err;
    return result;
  };
  step("contracts load " + (tmp.path() / "contracts").string());
  const auto whole =
      step("generate --month " + std::string(kMonth) + common + " --out " + (tmp.path() / "whole").string());
  EXPECT_EQ(whole.out.find("as of"), std::string::npos) << whole.out;  // unchanged without --as-of
  const auto cut = step("generate --month " + std::string(kMonth) + common + " --as-of 2026-10-15 --out " +
                        (tmp.path() / "cut").string());
  EXPECT_NE(cut.out.find("seed 11, as of 2026-10-15T23:59:59.999999+03:00)"), std::string::npos) << cut.out;
  // No --month: the last complete month before the cut-off.
  const auto again =
      step("generate" + common + " --as-of 2026-11-05T12:00:00+02:00 --out " + (tmp.path() / "again").string());
  EXPECT_NE(again.out.find("for 2026-10 "), std::string::npos) << again.out;

  for (const auto& source : {"finance", "hr", "other"}) {
    const std::string name = std::string(source) + ".csv";
    if (!fs::exists(tmp.path() / "whole" / name)) continue;
    const std::string whole_text = slurp(tmp.path() / "whole" / name);
    const std::string cut_text = slurp(tmp.path() / "cut" / name);
    EXPECT_EQ(slurp(tmp.path() / "again" / name), whole_text) << name;
    ASSERT_LT(cut_text.size(), whole_text.size()) << name;
    EXPECT_EQ(whole_text.compare(0, cut_text.size(), cut_text), 0) << name << " cut is not the start of the month";
    const auto records = read_csv(tmp.path() / "cut" / name);
    ASSERT_GT(records.size(), 1U) << name;
    for (std::size_t i = 1; i < records.size(); ++i) {
      ASSERT_EQ(records[i].fields.size(), 8U) << records[i].raw;
      EXPECT_LE(records[i].fields[4].substr(0, 10), "2026-10-15") << records[i].raw;
    }
    EXPECT_EQ(records.back().fields[4].substr(0, 10), "2026-10-15") << name << ": nothing on the cut-off day";
    const auto load =
        step("ingest --source " + std::string(source) + " --as-of 2026-10-15 " + (tmp.path() / "cut" / name).string());
    EXPECT_NE(load.out.find("rejected 0"), std::string::npos) << load.out;
  }

  const auto bad =
      run_costcover(conn, "generate --month 2026-10 --as-of 15.10.2026 --out " + (tmp.path() / "bad").string());
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--as-of \"15.10.2026\" is not a timestamp of the form YYYY-MM-DDTHH:MM:SS+HH:MM (or a day "
                         "YYYY-MM-DD, meaning its end in Helsinki)"),
            std::string::npos)
      << bad.err;
}

}  // namespace
