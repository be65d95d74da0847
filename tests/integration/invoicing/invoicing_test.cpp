// Invoicing against a real PostgreSQL, through the program: a generated month of the sample
// contracts is billed; every invoice's total equals the sum of its lines and its VAT rows;
// final invoices cannot be changed by plain SQL; billing again after finalisation changes
// nothing final; two finalisations at once give gap-free, unique numbers; the lineage view
// walks from lines back to transactions.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "jobs/export.hpp"
#include "render/labels.hpp"
#include "render/locale.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::read_file;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;
using costcover::testing::write_file;

namespace {

constexpr const char* kMonth = "2026-10";

std::string contracts_dir() { return costcover::testing::source_dir() + "/contracts"; }

void load_month(costcover::testing::TestDatabase& db, const TempDir& dir) {
  auto run = [&](const std::string& args) {
    const auto result = run_costcover(db.connection_string(), args);
    ASSERT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
  };
  run("contracts load '" + contracts_dir() + "'");
  run(std::string("generate --month ") + kMonth + " --scale 0.2 --out '" + dir.path().string() + "'");
  for (const char* source : {"finance", "hr", "other"}) {
    run(std::string("ingest --source ") + source + " --as-of 2026-11-15 --rejects '" + dir.path().string() + "/" +
        source + ".rejects.csv' '" + dir.path().string() + "/" + source + ".csv'");
  }
  run("nightly");
}

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

TEST(Invoicing, TotalsAddUpAndFinalInvoicesAreImmutable) {
  costcover::testing::TestDatabase db;
  TempDir dir{"ccinv"};
  load_month(db, dir);
  auto& session = db.session();

  auto bill = run_costcover(db.connection_string(), std::string("bill --period ") + kMonth);
  ASSERT_EQ(bill.status, 0) << bill.out << bill.err;
  ASSERT_GT(count(session, "SELECT count(*) FROM invoice"), 0);

  // Sum of lines = net total; VAT rows sum to the VAT total and the net; gross = net + VAT.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i WHERE net_total <> (SELECT sum(amount) FROM invoice_line l "
                  "WHERE l.invoice_id = i.id)"),
            0);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i WHERE vat_total <> (SELECT sum(vat_amount) FROM invoice_vat v "
                  "WHERE v.invoice_id = i.id) OR net_total <> (SELECT sum(net_amount) FROM invoice_vat v "
                  "WHERE v.invoice_id = i.id)"),
            0);
  // No invoice mixes category O with other categories; none is empty.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i WHERE EXISTS (SELECT 1 FROM invoice_line l WHERE l.invoice_id = i.id "
                  "AND (l.vat_category = 'O') <> (i.vat_group = 'O'))"),
            0);
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice i WHERE NOT EXISTS (SELECT 1 FROM invoice_line l "
                  "WHERE l.invoice_id = i.id)"),
            0);
  // Priced lines: amount = quantity x unit price, rounded half away from zero.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM invoice_line WHERE kind IN ('usage', 'over_limit', 'true_up') "
                  "AND amount <> round(quantity * unit_price, 2)"),
            0);
  // Lineage: every counted unit of the month is on exactly one usage/over_limit line.
  EXPECT_EQ(count(session,
                  "SELECT count(*) FROM (SELECT d.id FROM daily_volume d "
                  "JOIN v_invoice_line_volume v ON (v.agency, v.service, v.day, v.tags, v.business_days) = "
                  "(d.agency, d.service, d.day, d.tags, d.business_days) GROUP BY d.id, d.quantity "
                  "HAVING sum(v.quantity) <> d.quantity) x"),
            0);
  EXPECT_GT(count(session, "SELECT count(*) FROM v_invoice_line_lineage WHERE txn_id IS NOT NULL"), 0);

  // Billing again replaces drafts without duplicates.
  const auto drafts = count(session, "SELECT count(*) FROM invoice");
  bill = run_costcover(db.connection_string(), std::string("bill --period ") + kMonth);
  ASSERT_EQ(bill.status, 0) << bill.err;
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice"), drafts);

  const auto finalize =
      run_costcover(db.connection_string(), std::string("finalize --period ") + kMonth + " --issue-date 2026-11-02");
  ASSERT_EQ(finalize.status, 0) << finalize.out << finalize.err;
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE status = 'draft'"), 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE due_date <> issue_date + payment_terms_days"), 0);
  const std::string before =
      text(session,
           "SELECT md5(string_agg(i.number || l.line_no || l.amount || l.description, ',' "
           "ORDER BY i.number, l.line_no)) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id");

  // Plain SQL cannot change anything final.
  for (const char* sql :
       {"UPDATE invoice SET net_total = net_total + 1",
        "UPDATE invoice SET status = 'draft', number = NULL, issue_date = NULL, due_date = NULL", "DELETE FROM invoice",
        "UPDATE invoice_line SET amount = 0", "DELETE FROM invoice_line",
        "INSERT INTO invoice_line (invoice_id, line_no, kind, description, quantity, unit_price, amount, "
        "exact_amount, vat_category, price_source) SELECT id, 999, 'fee', 'x', 1, 1, 1, 1, 'O', 'x' "
        "FROM invoice LIMIT 1",
        "UPDATE invoice_vat SET vat_amount = 0", "DELETE FROM invoice_line_volume",
        "UPDATE invoice_line_volume SET quantities = quantities", "TRUNCATE invoice CASCADE",
        "TRUNCATE invoice_line_volume", "UPDATE invoice_counter SET last_number = 0", "DELETE FROM invoice_counter"}) {
    EXPECT_THROW(session << sql, soci::soci_error) << sql;
  }

  // Billing the finalised month again changes nothing final and writes no draft.
  bill = run_costcover(db.connection_string(), std::string("bill --period ") + kMonth);
  ASSERT_EQ(bill.status, 0) << bill.err;
  EXPECT_NE(bill.out.find("already final"), std::string::npos) << bill.out;
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE status = 'draft'"), 0);
  EXPECT_EQ(text(session,
                 "SELECT md5(string_agg(i.number || l.line_no || l.amount || l.description, ',' "
                 "ORDER BY i.number, l.line_no)) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id"),
            before);

  // Exports are deterministic.
  TempDir out1{"ccinv"};
  TempDir out2{"ccinv"};
  ASSERT_EQ(run_costcover(db.connection_string(), std::string("export --period ") + kMonth + " --format csv --out '" +
                                                      out1.path().string() + "'")
                .status,
            0);
  ASSERT_EQ(run_costcover(db.connection_string(), std::string("export --period ") + kMonth + " --format csv --out '" +
                                                      out2.path().string() + "'")
                .status,
            0);
  EXPECT_EQ(run_costcover(db.connection_string(), "--help").status, 0);
  const auto diff = std::system(
      ("cmp -s '" + out1.path().string() + "/invoices.csv' '" + out2.path().string() + "/invoices.csv'").c_str());
  EXPECT_EQ(diff, 0);
}

// A rejected row holds its month back until it is sent again corrected. Its month, agency
// and key come from the row as the CSV reads it: quoting included, the day Helsinki's.
TEST(Invoicing, UnresolvedRejectsHoldBackTheirMonth) {
  costcover::testing::TestDatabase db;
  TempDir dir{"ccinv"};
  load_month(db, dir);
  auto& session = db.session();
  // A real agency and service: any the month counted.
  const std::string agency = text(session, "SELECT min(agency) FROM daily_volume");
  const std::string kinds =
      agency + "," + text(session, "SELECT min(service) FROM daily_volume WHERE agency = '" + agency + "'");
  const auto write = [&](const std::string& name, const std::string& rows) {
    return write_file(dir.path() / name,
                      "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n" + rows);
  };
  const auto ingest = [&](const std::string& path) {
    const auto result =
        run_costcover(db.connection_string(), "ingest --source finance --as-of 2026-11-15 '" + path + "'");
    ASSERT_EQ(result.status, 0) << result.out << result.err;
  };
  const auto refused = [&](const char* month) {
    const auto bill = run_costcover(db.connection_string(), std::string("bill --dry-run --period ") + month);
    return bill.out.find("NOT READY") != std::string::npos;
  };
  ASSERT_FALSE(refused("2026-10"));
  ASSERT_FALSE(refused("2026-11"));

  // Line 2: a quoted comma in the key; line 3: 22:30 UTC on 31 October is 00:30 on
  // 1 November in Helsinki. Both have quantity 0.
  ingest(write("bad.csv", "\"R,1\"," + kinds +
                              ",2026-10-05T09:00:00+03:00,2026-10-06T10:00:00+03:00,0,,\n"
                              "S-1," +
                              kinds + ",2026-10-31T08:00:00Z,2026-10-31T22:30:00Z,0,,\n"));
  EXPECT_EQ(text(session,
                 "SELECT string_agg(concat_ws('|', line, txn_id, agency, delivered_day), ' ' ORDER BY line) "
                 "FROM ingest_reject"),
            "2|R,1|" + agency + "|2026-10-06 3|S-1|" + agency + "|2026-11-01");
  EXPECT_TRUE(refused("2026-10"));
  EXPECT_TRUE(refused("2026-11"));
  EXPECT_EQ(run_costcover(db.connection_string(), "bill --period 2026-10").status, 1);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice"), 0);

  // Sent again corrected: resolved, and the months bill.
  ingest(write("good.csv", "\"R,1\"," + kinds +
                               ",2026-10-05T09:00:00+03:00,2026-10-06T10:00:00+03:00,1,,\n"
                               "S-1," +
                               kinds + ",2026-10-31T08:00:00Z,2026-10-31T22:30:00Z,1,,\n"));
  ASSERT_EQ(run_costcover(db.connection_string(), "nightly").status, 0);
  EXPECT_FALSE(refused("2026-10"));
  EXPECT_FALSE(refused("2026-11"));
  EXPECT_EQ(run_costcover(db.connection_string(), "bill --period 2026-10").status, 0);
  EXPECT_GT(count(session, "SELECT count(*) FROM invoice"), 0);
}

// Issue 13, item 3: January 2026 is finalised with LVT's purchase invoices at the list
// price 4.20 (47 units and a true-up of 1500 - 47 = 1453); then the stored 2026 list says
// 4.50 (the freeze bypassed by writing the stored file) and one January transaction is
// cancelled. February's invoice corrects January at January's price, from its lines:
// usage -1 x 4.20 and true-up (1500 - 46) - 1453 = +1 x 4.20, not -47 @ 4.20 / +46 @ 4.50
// and -1453 @ 4.20 / +1454 @ 4.50 (+240.00 where nothing changed in money).
TEST(Invoicing, CorrectionsUseThePriceTheMonthWasBilledAt) {
  costcover::testing::TestDatabase db;
  TempDir dir{"ccinv"};
  auto& session = db.session();
  auto run = [&](const std::string& args) {
    const auto result = run_costcover(db.connection_string(), args);
    ASSERT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
  };
  const std::string header = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n";
  auto row = [](int i, const char* status) {
    return "AP-" + std::to_string(1000 + i) +
           ",LVT,purchase-invoice,2026-01-12T08:00:00+02:00,2026-01-12T12:00:00+02:00,1,," + status + "\n";
  };
  std::string january = header;
  for (int i = 1; i <= 47; ++i) january += row(i, "delivered");
  run("contracts load '" + contracts_dir() + "'");
  run("ingest --source finance --as-of 2026-02-01 '" + write_file(dir.path() / "january.csv", january) + "'");
  run("nightly");
  run("bill --period 2026-01 --agency LVT");
  run("finalize --period 2026-01 --agency LVT --issue-date 2026-02-02");
  const std::string january_lines =
      "SELECT string_agg(concat_ws(' ', l.kind, l.quantity, l.unit_price, l.price_source), '; ' ORDER BY l.line_no) "
      "FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id WHERE i.period = '2026-01' "
      "AND l.service = 'purchase-invoice'";
  ASSERT_EQ(text(session, january_lines), "usage 47 4.2000 list 2026; true_up 1453 4.2000 list 2026");

  session << "UPDATE contract_file SET source_text = replace(source_text, 'purchase-invoice: 4.20', "
             "'purchase-invoice: 4.50') WHERE path LIKE '%prices/2026.yaml'";
  run("ingest --source finance --as-of 2026-02-10 '" +
      write_file(dir.path() / "cancel.csv", header + row(7, "cancelled")) + "'");
  run("nightly");
  run("bill --period 2026-02 --agency LVT");
  EXPECT_EQ(text(session,
                 "SELECT string_agg(concat_ws(' ', l.corrected_kind, l.quantity, l.unit_price, l.amount, "
                 "l.price_source, c.number), '; ' ORDER BY l.line_no) FROM invoice i "
                 "JOIN invoice_line l ON l.invoice_id = i.id JOIN invoice c ON c.id = l.corrects_invoice_id "
                 "WHERE i.period = '2026-02' AND l.kind = 'correction'"),
            "usage -1 4.2000 -4.20 list 2026 2026-000001; true_up 1 4.2000 4.20 list 2026 2026-000001");
  // February's own lines are rated at the list as it is now.
  EXPECT_EQ(text(session,
                 "SELECT string_agg(concat_ws(' ', l.kind, l.quantity, l.unit_price), '; ' ORDER BY l.line_no) "
                 "FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id WHERE i.period = '2026-02' "
                 "AND l.kind <> 'correction' AND l.service = 'purchase-invoice'"),
            "true_up 1500 4.5000");
}

// HTML as the invoice must show it (the test's own escaping).
std::string html_text(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// The printable invoice of every final invoice shows what the database holds: number,
// client, buyer reference, each line's description and amount, each exception applied with
// its reason, and the total to pay.
// Issue 11, item 5: invoices.csv is opened in spreadsheets; a contract text that starts
// like a formula is written as text (a leading single quote), while amounts, negative ones
// too, stay plain decimals and the database keeps the text as it is.
TEST(Invoicing, CsvExportWritesFormulasAsText) {
  costcover::testing::TestDatabase db;
  auto& session = db.session();
  session << "INSERT INTO agency (id, name, business_id, branch) VALUES "
             "('KTL', 'Kirjanpitovirasto', '1234567-1', 'VM')";
  session << "INSERT INTO invoice (status, agency, period, vat_group, payment_terms_days, buyer_reference, net_total, "
             "vat_total, gross_total) VALUES ('draft', 'KTL', '2027-01', 'O', 14, '+358', 0.00, 0.00, 0.00)";
  const std::string hyperlink = "=HYPERLINK(\"http://evil.example\",\"x\")";
  const std::string dde = "@SUM(1+1)*cmd|' /C calc'!A0";
  session << "INSERT INTO invoice_line (invoice_id, line_no, kind, description, quantity, unit_price, amount, "
             "exact_amount, vat_category, price_source, exception_id) SELECT id, 1, 'fee', :d, 1, 47, 47.00, 47, 'O', "
             "'agreement', NULL FROM invoice",
      soci::use(hyperlink);
  session << "INSERT INTO invoice_line (invoice_id, line_no, kind, description, quantity, unit_price, amount, "
             "exact_amount, vat_category, price_source, exception_id) SELECT id, 2, 'sla_credit', :d, -1, 47, -47.00, "
             "-47, 'O', 'exception', '-EX-1' FROM invoice",
      soci::use(dde);
  TempDir out{"ccinv"};
  const auto result = costcover::jobs::export_csv(session, costcover::Month::parse("2027-01"), out.path().string());
  EXPECT_EQ(result.lines, 2);
  EXPECT_EQ(read_file(out.path() / "invoices.csv"),
            "invoice_number,status,agency,period,issue_date,due_date,line_no,kind,service,description,quantity,"
            "unit_price,amount,vat_category,vat_rate,agreement_id,agreement_version,exception_id\n"
            ",draft,KTL,2027-01,,,1,fee,,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",1,47.0000,47.00,O,,,,\n"
            ",draft,KTL,2027-01,,,2,sla_credit,,'@SUM(1+1)*cmd|' /C calc'!A0,-1,47.0000,-47.00,O,,,,'-EX-1\n");
  EXPECT_EQ(text(session, "SELECT string_agg(description, ' ' ORDER BY line_no) FROM invoice_line"),
            hyperlink + " " + dde);
}

TEST(Invoicing, HtmlInvoicesShowWhatTheInvoicesHold) {
  costcover::testing::TestDatabase db;
  TempDir dir{"ccinv"};
  load_month(db, dir);
  auto& session = db.session();
  ASSERT_EQ(run_costcover(db.connection_string(), std::string("bill --period ") + kMonth).status, 0);
  ASSERT_EQ(
      run_costcover(db.connection_string(), std::string("finalize --period ") + kMonth + " --issue-date 2026-11-02")
          .status,
      0);
  TempDir out{"ccinv"};
  const auto exported = run_costcover(db.connection_string(), std::string("export --period ") + kMonth +
                                                                  " --format html --out '" + out.path().string() + "'");
  ASSERT_EQ(exported.status, 0) << exported.out << exported.err;
  const std::string index = read_file(out.path() / "final" / "index.html");
  ASSERT_FALSE(index.empty());

  struct Invoice {
    long long id;
    std::string number, agency, name, buyer_reference, gross, language;
  };
  std::vector<Invoice> invoices;
  {
    soci::rowset<soci::row> rows = (session.prepare << "SELECT i.id, i.number, i.agency, a.name, i.buyer_reference, "
                                                       "i.gross_total::text, a.language FROM invoice i "
                                                       "JOIN agency a ON a.id = i.agency WHERE i.period = '" +
                                                           std::string(kMonth) + "' ORDER BY i.number");
    for (const auto& r : rows) {
      invoices.push_back({r.get<long long>(0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                          r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6)});
    }
  }
  ASSERT_GT(invoices.size(), 5U);
  int exceptions_seen = 0;
  for (const auto& invoice : invoices) {
    SCOPED_TRACE(invoice.number);
    const std::string file = invoice.agency + "-" + kMonth + "-" + invoice.number + ".html";
    const std::string html = read_file(out.path() / "final" / file);
    ASSERT_FALSE(html.empty()) << file;
    EXPECT_NE(index.find(file), std::string::npos);
    EXPECT_NE(html.find(invoice.number), std::string::npos);
    EXPECT_NE(html.find(html_text(invoice.name)), std::string::npos);
    EXPECT_NE(html.find(html_text(invoice.buyer_reference)), std::string::npos);
    EXPECT_EQ(html.find("DRAFT"), std::string::npos);
    // The page is in the agency's language (agencies.yaml), amounts written as it writes them.
    const auto language = costcover::language_or_default(invoice.language);
    auto shown = [language](const std::string& amount) {
      const auto money = costcover::Money::parse(amount);
      return language == costcover::render::Language::en ? money.to_display()
                                                         : costcover::render::format_money(money, language);
    };
    const std::string total = std::string(label(costcover::render::Label::total_to_pay, language)) +
                              "</td><td class=\"num\">" + shown(invoice.gross);
    EXPECT_NE(html.find(total), std::string::npos) << total;
    soci::rowset<soci::row> lines =
        (session.prepare
         << "SELECT line_no, description, amount::text, coalesce(exception_id, ''), coalesce(exception_reason, '') "
            "FROM invoice_line WHERE invoice_id = " +
                std::to_string(invoice.id) + " ORDER BY line_no");
    std::size_t at = 0;  // the lines appear in order
    for (const auto& line : lines) {
      const std::string row =
          "<tr><td>" + std::to_string(line.get<int>(0)) + "</td><td>" + html_text(line.get<std::string>(1));
      const auto found = html.find(row, at);
      ASSERT_NE(found, std::string::npos) << row;
      const auto row_end = html.find("</tr>", found);
      const std::string amount = shown(line.get<std::string>(2)) + "</td></tr>";
      EXPECT_EQ(html.compare(row_end - amount.size() + 5, amount.size(), amount), 0)
          << html.substr(found, row_end - found) << " should end with " << amount;
      at = row_end;
      if (!line.get<std::string>(3).empty()) {
        ++exceptions_seen;
        const std::string listed =
            "<li><b>" + html_text(line.get<std::string>(3)) + "</b>: " + html_text(line.get<std::string>(4)) + "</li>";
        EXPECT_NE(html.find(listed), std::string::npos) << listed;
      }
    }
  }
  EXPECT_GT(exceptions_seen, 0);  // the samples apply exceptions: they must be shown
}

TEST(Invoicing, ConcurrentFinalisationsNeitherDuplicateNorGap) {
  costcover::testing::TestDatabase db;
  TempDir dir{"ccinv"};
  load_month(db, dir);
  auto& session = db.session();
  const auto bill = run_costcover(db.connection_string(), std::string("bill --period ") + kMonth);
  ASSERT_EQ(bill.status, 0) << bill.err;
  const auto drafts = count(session, "SELECT count(*) FROM invoice WHERE status = 'draft'");
  ASSERT_GT(drafts, 2);
  // Two processes, one per half of the agencies, plus a third for the whole month, at once.
  std::vector<std::string> agencies;
  soci::rowset<std::string> rows = (session.prepare << "SELECT DISTINCT agency FROM invoice ORDER BY agency");
  for (const auto& agency : rows) agencies.push_back(agency);
  std::vector<std::thread> threads;
  std::vector<int> statuses(agencies.size() + 1, -1);
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    threads.emplace_back([&, i] {
      statuses[i] = run_costcover(db.connection_string(), std::string("finalize --period ") + kMonth + " --agency " +
                                                              agencies[i] + " --issue-date 2026-11-02")
                        .status;
    });
  }
  threads.emplace_back([&] {
    statuses.back() =
        run_costcover(db.connection_string(), std::string("finalize --period ") + kMonth + " --issue-date 2026-11-02")
            .status;
  });
  for (auto& thread : threads) thread.join();
  for (const int status : statuses) EXPECT_EQ(status, 0);
  EXPECT_EQ(count(session, "SELECT count(*) FROM invoice WHERE status = 'final'"), drafts);
  EXPECT_EQ(count(session, "SELECT count(DISTINCT number) FROM invoice"), drafts);
  EXPECT_EQ(count(session, "SELECT max(substr(number, 6)::int) FROM invoice"), drafts);
  EXPECT_EQ(count(session, "SELECT min(substr(number, 6)::int) FROM invoice"), 1);
  EXPECT_EQ(count(session, "SELECT last_number FROM invoice_counter WHERE year = 2026"), drafts);
}

}  // namespace
