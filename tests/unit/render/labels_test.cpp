// The invoice's texts: every label in every language, the table in enum order, and the
// languages differing where a word differs.
#include "render/labels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>

namespace costcover::render {
namespace {

constexpr Language kLanguages[] = {Language::fi, Language::sv, Language::en};

TEST(Labels, NoLabelIsMissingInAnyLanguage) {
  std::set<std::string> names;
  for (const Label which : all_labels()) {
    EXPECT_TRUE(names.insert(std::string(label_name(which))).second) << label_name(which);
    for (const Language language : kLanguages) {
      EXPECT_FALSE(label(which, language).empty()) << label_name(which) << " in " << to_string(language);
    }
  }
  EXPECT_EQ(names.size(), kLabelCount);
}

// Codes and names that are the same in every language (BIC, EUR); every other label's
// three texts differ.
TEST(Labels, LanguagesDifferWhereTheyShould) {
  const std::set<Label> same = {Label::bic, Label::currency_suffix, Label::amount};
  for (const Label which : all_labels()) {
    const std::string fi(label(which, Language::fi)), sv(label(which, Language::sv)), en(label(which, Language::en));
    if (same.count(which)) continue;
    EXPECT_NE(fi, sv) << label_name(which);
    EXPECT_NE(fi, en) << label_name(which);
    if (which != Label::vat_id && which != Label::vat && which != Label::col_vat) {
      EXPECT_NE(sv, en) << label_name(which);
    }
  }
  EXPECT_EQ(label(Label::invoice_title, Language::fi), "LASKU");
  EXPECT_EQ(label(Label::invoice_title, Language::sv), "FAKTURA");
  EXPECT_EQ(label(Label::due_date, Language::fi), "Eräpäivä");
  EXPECT_EQ(label(Label::reference_number, Language::sv), "Referensnummer");
}

TEST(Labels, PrintedLanguageDefaultsToFinnish) {
  EXPECT_EQ(language_or_default("sv"), Language::sv);
  EXPECT_EQ(language_or_default("en"), Language::en);
  EXPECT_EQ(language_or_default(""), Language::fi);
  EXPECT_EQ(language_or_default("de"), Language::fi);
}

}  // namespace
// Every unit of the sample catalog is printed in the agency's language: a known unit has
// a text in each language, and fi and sv differ from the catalog's (English) word.
TEST(Labels, EverySampleCatalogUnitIsTranslated) {
  std::ifstream catalog(std::string(COSTCOVER_SOURCE_DIR) + "/contracts/catalog.yaml");
  ASSERT_TRUE(catalog) << "contracts/catalog.yaml";
  const auto known = known_units();
  int units = 0;
  for (std::string line; std::getline(catalog, line);) {
    const auto at = line.find("unit: ");
    if (at == std::string::npos || line.find('#') < at) continue;
    std::string unit = line.substr(at + 6);
    unit = unit.substr(0, unit.find_first_of(" #"));
    ++units;
    EXPECT_NE(std::find(known.begin(), known.end(), unit), known.end()) << unit << " has no texts";
    for (const Language language : kLanguages) EXPECT_FALSE(unit_label(unit, language).empty()) << unit;
    EXPECT_NE(unit_label(unit, Language::fi), unit) << unit;
    EXPECT_NE(unit_label(unit, Language::sv), unit) << unit;
  }
  EXPECT_GE(units, 10);
  EXPECT_EQ(unit_label("widget", Language::sv), "widget") << "an unknown unit prints as written";
}

}  // namespace costcover::render
