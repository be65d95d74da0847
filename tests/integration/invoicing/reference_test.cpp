// Reference numbers and the agency's language (issue 15, items 3 and 4) against a real
// PostgreSQL, through the program:
//   - migration 071's SQL functions give the same references as core/reference.cpp;
//   - finalisation gives every final document its reference and RF reference (valid,
//     from its number), drafts have none, and neither can be changed by UPDATE;
//   - the HTML invoice of a `language: sv` agency (OKV in the sample) is in Swedish
//     throughout, KTL's (default fi) in Finnish; a re-export after the agency's language
//     changes in agencies.yaml prints the final pages as before (the language is frozen)
//     and invoice_headers.csv gives the same references again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/reference.hpp"
#include "render/labels.hpp"
#include "sample_month.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::read_file;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;

namespace {

constexpr const char* kMonth = costcover::testing::SampleMonthTest::kMonth;

std::string text(soci::session& session, const std::string& sql) {
  std::string value;
  soci::indicator indicator = soci::i_ok;
  session << sql, soci::into(value, indicator);
  return indicator == soci::i_ok ? value : std::string();
}

TEST(ReferenceSql, AgreesWithTheProgramOnManyNumbers) {
  costcover::testing::TestDatabase db;
  auto& session = db.session();
  for (int counter = 1; counter < 200000; counter += 997) {
    for (const int year : {2026, 2027, 2099}) {
      char number[32];
      std::snprintf(number, sizeof number, "%d-%06d", year, counter);
      const std::string expected = costcover::invoice_reference(number);
      EXPECT_EQ(text(session, std::string("SELECT invoice_number_reference('") + number + "')"), expected) << number;
      EXPECT_EQ(text(session, "SELECT rf_reference('" + expected + "')"), costcover::make_rf_reference(expected))
          << number;
    }
  }
  // Bases of other lengths and letters in an RF reference.
  for (const char* base : {"123", "1111", "123456", "1234567890123456789"}) {
    EXPECT_EQ(text(session, std::string("SELECT finnish_reference('") + base + "')"), costcover::make_reference(base));
  }
  EXPECT_EQ(text(session, "SELECT rf_reference('539007547034')"), "RF18539007547034");
  EXPECT_EQ(text(session, "SELECT rf_reference('abc123')"), costcover::make_rf_reference("ABC123"));
  EXPECT_EQ(text(session, "SELECT coalesce(finnish_reference('12'), 'null')"), "null");
}

class References : public costcover::testing::SampleMonthTest {
 protected:
  References() : SampleMonthTest("ccref") {}
};

TEST_F(References, FinalInvoicesCarryFixedReferencesAndPrintInTheAgencysLanguage) {
  using costcover::render::Label;
  using costcover::render::Language;
  auto& session = db_.session();
  run(std::string("bill --period ") + kMonth);
  EXPECT_EQ(text(session, "SELECT count(*)::text FROM invoice WHERE reference IS NOT NULL OR rf_reference IS NOT NULL"),
            "0");
  for (const char* agency : {"OKV", "KTL"}) {
    run(std::string("finalize --period ") + kMonth + " --agency " + agency + " --issue-date 2026-11-02");
  }

  struct Final {
    std::string number, agency, reference, rf;
  };
  std::vector<Final> finals;
  {
    soci::rowset<soci::row> rows = (session.prepare << "SELECT number, agency, reference, rf_reference FROM invoice "
                                                       "WHERE status = 'final' ORDER BY number");
    for (const auto& r : rows) {
      finals.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3)});
    }
  }
  ASSERT_GE(finals.size(), 2U);
  for (const auto& f : finals) {
    EXPECT_EQ(f.reference, costcover::invoice_reference(f.number)) << f.number;
    EXPECT_TRUE(costcover::valid_reference(f.reference)) << f.reference;
    EXPECT_EQ(f.rf, costcover::make_rf_reference(f.reference)) << f.number;
    EXPECT_TRUE(costcover::valid_rf_reference(f.rf)) << f.rf;
  }
  // Fixed: neither the reference nor the number it comes from can be changed.
  for (const std::string& sql : {"UPDATE invoice SET reference = '1232' WHERE number = '" + finals[0].number + "'",
                                 "UPDATE invoice SET number = '2099-000001' WHERE number = '" + finals[0].number + "'",
                                 "UPDATE invoice SET rf_reference = NULL WHERE number = '" + finals[0].number + "'"}) {
    EXPECT_THROW(session << sql, soci::soci_error) << sql;
  }
  EXPECT_EQ(text(session, "SELECT reference FROM invoice WHERE number = '" + finals[0].number + "'"),
            finals[0].reference);

  TempDir out1{"ccref"};
  export_to(out1.path());
  const std::string headers = read_file(out1.path() / "invoice_headers.csv");
  for (const auto& f : finals) {
    EXPECT_NE(headers.find("," + f.reference + "," + f.rf + "\n"), std::string::npos) << f.number;
  }

  int swedish = 0;
  for (const auto& f : finals) {
    const fs::path page = out1.path() / "final" / (f.agency + "-" + kMonth + "-" + f.number + ".html");
    const std::string html = read_file(page);
    ASSERT_FALSE(html.empty()) << page;
    const Language language = f.agency == "OKV" ? Language::sv : Language::fi;
    EXPECT_NE(html.find(std::string(label(Label::reference_number, language))), std::string::npos) << f.number;
    if (html.find("credit") == std::string::npos) {
      EXPECT_NE(html.find(costcover::group_reference(f.reference)), std::string::npos) << f.number;
    }
    if (language != Language::sv) continue;
    ++swedish;
    EXPECT_NE(html.find("<html lang=\"sv\">"), std::string::npos);
    for (const Label which : costcover::render::all_labels()) {
      const std::string sv(label(which, Language::sv));
      for (const Language other : {Language::fi, Language::en}) {
        const std::string word(label(which, other));
        if (word == sv || word.size() < 5) continue;
        EXPECT_EQ(html.find(word), std::string::npos) << f.number << ": " << label_name(which) << " " << word;
      }
    }
    // The units and the service names are Swedish too (the sample catalog names every
    // service in sv): no unit is printed in its catalog (English) word.
    for (const auto unit : costcover::render::known_units()) {
      const std::string sv(costcover::render::unit_label(unit, Language::sv));
      if (sv == unit) continue;
      EXPECT_EQ(html.find("</td><td class=\"num\">" + std::string(unit)), std::string::npos) << unit;
      EXPECT_EQ(html.find(" " + std::string(unit) + "</td>"), std::string::npos) << f.number << ": unit " << unit;
    }
    EXPECT_EQ(html.find("Ostolaskun käsittely"), std::string::npos) << f.number << ": a Finnish service name";
    EXPECT_EQ(html.find("Purchase invoice processing"), std::string::npos) << f.number << ": an English service name";
  }
  EXPECT_GT(swedish, 0) << "OKV (language: sv) has a final invoice";

  // The language is frozen with the particulars: OKV turning to English changes no final page.
  {
    const fs::path agencies = contracts_ / "agencies.yaml";
    std::string content = read_file(agencies);
    const auto at = content.find("    language: sv");
    ASSERT_NE(at, std::string::npos);
    content.replace(at, 16, "    language: en");
    std::ofstream(agencies, std::ios::binary | std::ios::trunc) << content;
  }
  run("contracts load '" + contracts_.string() + "'");
  EXPECT_EQ(text(session, "SELECT language FROM agency WHERE id = 'OKV'"), "en");
  TempDir out2{"ccref"};
  export_to(out2.path());
  for (const auto& f : finals) {
    const std::string name = f.agency + "-" + kMonth + "-" + f.number + ".html";
    EXPECT_EQ(read_file(out2.path() / "final" / name), read_file(out1.path() / "final" / name)) << name;
  }
  EXPECT_EQ(read_file(out2.path() / "invoice_headers.csv").find(finals[0].rf), headers.find(finals[0].rf));
}

}  // namespace
