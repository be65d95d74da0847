// Pages meant for paper, laid out by a real browser (headless Chromium, installed by
// ops/setup.sh). The printed invoice: every page A4 portrait, and the payment slip on the
// same page as the totals, for invoices of any length (see InvoiceKeepsTheSlipWithTheTotals).
// The published matching calculation fits A4 landscape. Two checks:
//   - laid out at the printable width of A4 landscape (297 mm − 2 × 10 mm margins =
//     277 mm = 1047 CSS px), no table is wider than the page and no cell's text overflows
//     its cell (a script added to a copy of the page counts them);
//   - printed to PDF, every page is A4 landscape (842 × 595 pt).
// The report is the sample catalog's size (five finance, two HR and three other services,
// Finnish names) with the widest amounts such a centre writes, this year beside the
// previous one, in each language.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "render/invoice_html.hpp"
#include "render/matching_report.hpp"
#include "test_database.hpp"

namespace costcover::render {
namespace {

using costcover::testing::read_file;
using costcover::testing::TempDir;
using costcover::testing::write_file;

// Runs a shell command; its standard output, and the exit status in `status`.
std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  status = pclose(pipe);
  return out;
}

std::string chromium(const TempDir& dir, const std::string& arguments) {
  int status = 0;
  const std::string out =
      run("timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir='" +
              (dir.path() / "profile").string() + "' " + arguments + " 2>/dev/null",
          status);
  EXPECT_EQ(status, 0) << "chromium " << arguments;
  return out;
}

// The page printed by headless Chromium as a PDF (its bytes), and the size of each of its
// pages in points (width, height), in page order.
std::string print_to_pdf(const TempDir& dir, const std::string& name, const std::string& html) {
  const std::string page_path = write_file(dir.path() / (name + ".html"), html);
  const std::string pdf_path = (dir.path() / (name + ".pdf")).string();
  chromium(dir, "--no-pdf-header-footer --print-to-pdf='" + pdf_path + "' 'file://" + page_path + "'");
  return read_file(pdf_path);
}

std::vector<std::pair<double, double>> page_sizes(const std::string& pdf) {
  const std::regex media_box(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])");
  std::vector<std::pair<double, double>> sizes;
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), media_box); it != std::sregex_iterator(); ++it) {
    sizes.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return sizes;
}

model::Catalog sample_sized_catalog() {
  model::Catalog catalog;
  catalog.provider.name = "Valtion talous- ja henkilöstöhallinnon palvelukeskus";
  const auto add = [&](const char* id, const char* name, model::Area area) {
    model::Service service;
    service.id = id;
    service.name = {{"fi", name}};
    service.area = area;
    catalog.services.push_back(service);
  };
  add("purchase-invoice", "Ostolaskujen käsittely", model::Area::finance);
  add("sales-invoice", "Myyntilaskutus", model::Area::finance);
  add("payment", "Maksuliikenne", model::Area::finance);
  add("bookkeeping", "Kirjanpito ja tilinpäätös", model::Area::finance);
  add("fixed-asset", "Käyttöomaisuuskirjanpito", model::Area::finance);
  add("payslip", "Palkanlaskenta", model::Area::hr);
  add("travel-claim", "Matkalaskujen käsittely", model::Area::hr);
  add("archiving", "Sähköinen arkistointi", model::Area::other);
  add("training", "Koulutuspalvelut", model::Area::other);
  add("account-management", "Asiakkuuden hoito", model::Area::other);
  return catalog;
}

// The widest amounts of a centre billing some 120 M€ a year: a service's revenue and
// costs with eight digits before the decimal comma (−12 345 678,90), the totals with
// nine, a sign on each.
MatchingYear year_of(int year, const model::Catalog& catalog) {
  std::vector<costing::MatchingRow> rows;
  costing::MatchingRow total;
  total.year = year;
  total.service = costing::kTotalRow;
  for (const auto& service : catalog.services) {
    costing::MatchingRow row;
    row.year = year;
    row.service = service.id;
    row.revenue = Money::parse("-12345678.90");
    for (auto& cost : row.cost) cost = Money::parse("1371742.10");
    total.revenue += row.revenue;
    for (std::size_t i = 0; i < row.cost.size(); ++i) total.cost[i] += row.cost[i];
    rows.push_back(row);
  }
  rows.push_back(total);
  MatchingYear out = matching_year(year, rows, {});
  for (const auto& service : catalog.services) {
    out.settled[service.id] = Money::parse("-9999999.99");
    out.decisions[service.id] = costing::SettlementDecision::carry_forward;
  }
  return out;
}

TEST(Print, MatchingReportFitsA4Landscape) {
  TempDir dir("ccprint");
  const model::Catalog catalog = sample_sized_catalog();
  MatchingReport report;
  report.current = year_of(2026, catalog);
  report.previous = year_of(2025, catalog);
  for (const Language language : {Language::fi, Language::sv, Language::en}) {
    report.language = language;
    const std::string html = matching_report_html(catalog, report);
    const std::string name = "matching-" + to_string(language);

    // Laid out at the printable width: count what does not fit.
    const std::string probe =
        "<script>\n"
        "const over = [...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).length;\n"
        "const wide = [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > "
        "document.documentElement.clientWidth + 1).length;\n"
        "document.body.setAttribute('data-fit', over + ' ' + wide);\n"
        "</script>\n";
    std::string probed = html;
    probed.insert(probed.rfind("</body>"), probe);
    const std::string probe_path = write_file(dir.path() / (name + "-probe.html"), probed);
    const std::string dom =
        chromium(dir, "--window-size=1047,740 --virtual-time-budget=5000 --dump-dom 'file://" + probe_path + "'");
    std::smatch fit;
    ASSERT_TRUE(std::regex_search(dom, fit, std::regex("data-fit=\"(\\d+) (\\d+)\""))) << dom.substr(0, 400);
    EXPECT_EQ(fit[1], "0") << to_string(language) << ": cells whose text overflows them";
    EXPECT_EQ(fit[2], "0") << to_string(language) << ": tables wider than the page";

    // Printed: every page A4 landscape.
    const std::string pdf = print_to_pdf(dir, name, html);
    ASSERT_FALSE(pdf.empty()) << "no PDF from chromium";
    const auto pages = page_sizes(pdf);
    for (const auto& [width, height] : pages) {
      EXPECT_NEAR(width, 841.89, 1.0) << "page width (pt)";
      EXPECT_NEAR(height, 595.28, 1.0) << "page height (pt)";
    }
    EXPECT_GE(pages.size(), 1U);
    EXPECT_LE(pages.size(), 5U) << "five tables, none split over two pages";
  }
}

// The page (0-based, in the order of the PDF's page tree) that each named destination of
// `pdf` points to. Chromium writes a named destination for each element a link of the
// page points to (`/name [N 0 R /XYZ x y 0]`) and lists the pages in /Kids.
std::map<std::string, int> destination_pages(const std::string& pdf) {
  std::smatch kids;
  std::map<std::string, int> out;
  if (!std::regex_search(pdf, kids, std::regex(R"(/Type /Pages[^>]*/Kids \[([^\]]*)\])"))) return out;
  std::map<std::string, int> page_of_object;
  const std::string list = kids[1];
  const std::regex reference(R"((\d+) 0 R)");
  int index = 0;
  for (auto it = std::sregex_iterator(list.begin(), list.end(), reference); it != std::sregex_iterator(); ++it) {
    page_of_object[(*it)[1]] = index++;
  }
  const std::regex destination(R"(/([A-Za-z-]+) \[(\d+) 0 R /XYZ)");
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), destination); it != std::sregex_iterator(); ++it) {
    const auto page = page_of_object.find((*it)[2]);
    if (page != page_of_object.end()) out[(*it)[1]] = page->second;
  }
  return out;
}

invoice::PrintedInvoice invoice_with_lines(int count) {
  invoice::PrintedInvoice invoice;
  invoice.status = invoice::InvoiceStatus::final;
  invoice.number = "2026-000042";
  invoice.agency = "KTL";
  invoice.period = Month{2026, 10};
  invoice.issue_date = parse_date("2026-11-02");
  invoice.due_date = parse_date("2026-11-23");
  invoice.payment_terms_days = 21;
  invoice.buyer_reference = "KTL-2026";
  invoice.buyer.name = "Kansallinen tilastolaitos";
  invoice.buyer.street = "Työpajankatu 13";
  invoice.buyer.postcode = "00580";
  invoice.buyer.city = "Helsinki";
  for (int n = 1; n <= count; ++n) {
    invoice::PrintedLine line;
    line.line_no = n;
    line.kind = model::LineKind::usage;
    line.service = "service-" + std::to_string((n - 1) / 10);  // ten lines a section
    line.service_name = "Palvelu " + std::to_string((n - 1) / 10);
    line.unit = "pcs";
    line.description = "Usage of the month, tier " + std::to_string(n);
    line.quantity = 1000 + n;
    line.unit_price = "1.2500";
    line.amount = Money::parse("1251.25");
    line.vat_category = "O";
    invoice.lines.push_back(line);
    invoice.net += line.amount;
  }
  invoice.gross = invoice.net;
  invoice.vat.push_back(invoice::PrintedVat{"O", "", invoice.net, Money{}});
  return invoice;
}

// An invoice's lines push the totals down the page as they grow; whatever their number,
// the payment slip prints on the page where the totals start (the block that holds both
// is never split), and every page is A4 portrait (595 × 842 pt). The line counts step
// through two pages so that the end of the totals falls at every height of a page.
TEST(Print, InvoiceKeepsTheSlipWithTheTotals) {
  TempDir dir("ccprint");
  invoice::Party provider;
  provider.name = "Valtion talous- ja henkilöstöhallinnon palvelukeskus";
  provider.iban = "FI2112345600000785";
  provider.bic = "NDEAFIHH";
  int later_pages = 0;
  for (int lines = 20; lines <= 62; lines += 3) {
    SCOPED_TRACE(std::to_string(lines) + " lines");
    std::string html = invoice_html(provider, invoice_with_lines(lines));
    // Links to the two blocks (out of the flow), so that the PDF names where each starts.
    html.insert(html.find("<body>") + 6,
                "<div style=\"position:absolute;top:0;left:0;font-size:1px\"><a href=\"#totals\">.</a>"
                "<a href=\"#payment-slip\">.</a></div>");
    const std::string name = "invoice-" + std::to_string(lines);
    const std::string pdf = print_to_pdf(dir, name, html);
    ASSERT_FALSE(pdf.empty()) << "no PDF from chromium";
    const auto pages = page_sizes(pdf);
    for (const auto& [width, height] : pages) {
      EXPECT_NEAR(width, 595.28, 1.0) << "page width (pt)";
      EXPECT_NEAR(height, 841.89, 1.0) << "page height (pt)";
    }
    const auto where = destination_pages(pdf);
    ASSERT_EQ(where.count("totals"), 1U) << "no destination for the totals";
    ASSERT_EQ(where.count("payment-slip"), 1U) << "no destination for the payment slip";
    EXPECT_EQ(where.at("payment-slip"), where.at("totals")) << "the slip is on another page than the totals";
    if (where.at("totals") > 0) ++later_pages;
    EXPECT_GE(pages.size(), static_cast<std::size_t>(where.at("totals") + 1));
  }
  EXPECT_GT(later_pages, 0) << "no invoice long enough to put its totals on a later page";
}

}  // namespace
}  // namespace costcover::render
