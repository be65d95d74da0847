#include "core/phrases.hpp"

#include <gtest/gtest.h>

#include "core/language.hpp"

namespace costcover {
namespace {

TEST(Phrases, EveryPhraseHasATextInEveryLanguage) {
  for (int i = 0; i < kPhraseCount; ++i) {
    const auto p = static_cast<Phrase>(i);
    for (const char* language : {"fi", "sv", "en"}) {
      EXPECT_FALSE(phrase(p, language).empty()) << "phrase " << i << " in " << language;
    }
    // The same number of values in every language.
    const auto holes = [](std::string_view text) {
      int n = 0;
      for (std::size_t at = text.find("{}"); at != std::string_view::npos; at = text.find("{}", at + 2)) ++n;
      return n;
    };
    EXPECT_EQ(holes(phrase(p, "fi")), holes(phrase(p, "en"))) << "phrase " << i;
    EXPECT_EQ(holes(phrase(p, "sv")), holes(phrase(p, "en"))) << "phrase " << i;
  }
}

TEST(Phrases, FinnishForAnyOtherLanguage) {
  EXPECT_EQ(language_or_default("sv"), Language::sv);
  EXPECT_EQ(language_or_default("en"), Language::en);
  EXPECT_EQ(language_or_default("fi"), Language::fi);
  EXPECT_EQ(language_or_default("de"), Language::fi);
  EXPECT_EQ(language_or_default(""), Language::fi);
  EXPECT_EQ(phrase(Phrase::fee, "sv", "base-fee"), "Avgift base-fee");
  EXPECT_EQ(phrase(Phrase::fee, "", "base-fee"), "Maksu base-fee");
  EXPECT_EQ(phrase(Phrase::fee, "de", "base-fee"), "Maksu base-fee");
}

TEST(Phrases, ValuesGoWhereTheTextSays) {
  EXPECT_EQ(phrase(Phrase::fee, "fi", "base-fee") + phrase(Phrase::fee_pro_rated, "fi", 12, 31),
            "Maksu base-fee, suhteutettu 12/31 päivää");
  EXPECT_EQ(phrase(Phrase::fee, "sv", "base-fee") + phrase(Phrase::fee_pro_rated, "sv", 12, 31),
            "Avgift base-fee, proportionerad 12/31 dagar");
  EXPECT_EQ(phrase(Phrase::fee, "en", "base-fee") + phrase(Phrase::fee_pro_rated, "en", 12, 31),
            "Fee base-fee, pro-rated 12/31 days");
  EXPECT_EQ(phrase(Phrase::credit, "fi", "Maksu base-fee"), "Hyvitys: Maksu base-fee");
  EXPECT_EQ(phrase(Phrase::credit, "sv", "Avgift base-fee"), "Kreditering: Avgift base-fee");
  EXPECT_EQ(phrase(Phrase::settlement_credit_reason, "en", 2026),
            "Cost-covering settlement of 2026: the surplus returned");
}

}  // namespace
}  // namespace costcover
