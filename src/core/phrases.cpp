#include "core/phrases.hpp"

#include <array>

#include "core/language.hpp"

namespace costcover {
namespace {

struct Texts {
  std::string_view fi;
  std::string_view sv;
  std::string_view en;
};

// In the order of enum class Phrase.
constexpr std::array<Texts, kPhraseCount> kTexts{{
    // fee
    {"Maksu {}", "Avgift {}", "Fee {}"},
    // fee_pro_rated_range
    {", suhteutettu {}/{} päivää ({})", ", proportionerad {}/{} dagar ({})", ", pro-rated {}/{} days ({})"},
    // fee_year
    {"Maksu {}, vuosi {}", "Avgift {}, år {}", "Fee {}, year {}"},
    // fee_pro_rated
    {", suhteutettu {}/{} päivää", ", proportionerad {}/{} dagar", ", pro-rated {}/{} days"},
    // not_billed
    {"{}, ei laskuteta ({})", "{}, faktureras inte ({})", "{}, not billed ({})"},
    // special_price
    {"{}, erityishinta ({})", "{}, specialpris ({})", "{}, special price ({})"},
    // above_limit
    {", ylityksen osuus: {}", ", över gränsen: {}", ", above {}"},
    // limits_suspended
    {", rajat keskeytetty ({})", ", gränserna upphävda ({})", ", limits suspended ({})"},
    // tier_range
    {", porras {} (yksiköt {}–{})", ", nivå {} (enheter {}–{})", ", tier {} (units {} to {})"},
    // tier_above
    {", porras {} (yksiköt yli {})", ", nivå {} (enheter över {})", ", tier {} (units above {})"},
    // version_days
    {" (versio {}, {})", " (version {}, {})", " (version {}, {})"},
    // lower_limit
    {"alaraja {}", "nedre gräns {}", "lower_limit {}"},
    // upper_limit
    {"yläraja {}", "övre gräns {}", "upper_limit {}"},
    // yearly_lower_limit
    {"vuoden alaraja {}", "årlig nedre gräns {}", "yearly lower_limit {}"},
    // yearly_upper_limit
    {"vuoden yläraja {}", "årlig övre gräns {}", "yearly upper_limit {}"},
    // limit_written
    {" (sopimuksessa {})", " (i avtalet {})", " (written {})"},
    // true_up
    {"{}, tasaus sopimuksen vähimmäismäärään: {}", "{}, utjämning till avtalets minimivolym: {}", "{}, true-up to {}"},
    // true_up_reduced
    {", vähennetty {} päivältä, joina rajat olivat keskeytettyinä ({})",
     ", reducerad för {} dagar med gränserna upphävda ({})", ", reduced for {} days of limits suspended ({})"},
    // billable_volume
    {", laskutettava määrä {}", ", fakturerbar volym {}", ", billable volume {}"},
    // sla_credit
    {"{}, palvelutasohyvitys {} % summasta {}: {}", "{}, servicenivågottgörelse {} % av {}: {}",
     "{}, performance credit {} % of {}: {}"},
    // sla_measured
    {"{} / {} mitatusta tapahtumasta ({} %) käsitelty {} työpäivässä, tavoite {} %",
     "{} av {} uppmätta transaktioner ({} %) inom {} arbetsdagar, mål {} %",
     "{} of {} measured transactions ({} %) within {} business days, target {} %"},
    // sla_not_measured
    {"; ei mitattu: {} tapahtumaa ({})", "; inte uppmätta: {} transaktioner ({})",
     "; not measured: {} transactions ({})"},
    // correction_priced
    {"Oikaisu laskuun {} ({}): {} {} à {}", "Rättelse av faktura {} ({}): {} {} à {}",
     "Correction to invoice {} ({}): {} {} at {}"},
    // correction_amount
    {"Oikaisu laskuun {} ({}): {} {}{}", "Rättelse av faktura {} ({}): {} {}{}",
     "Correction to invoice {} ({}): {} {}{}"},
    // unit_one
    {"yksikkö", "enhet", "unit"},
    // unit_many
    {"yksikköä", "enheter", "units"},
    // credit
    {"Hyvitys: {}", "Kreditering: {}", "Credit: {}"},
    // settlement_credit_reason
    {"Kustannusvastaavuuden tasaus {}: ylijäämä palautettu",
     "Kostnadsmotsvarande avräkning {}: överskottet återbetalat",
     "Cost-covering settlement of {}: the surplus returned"},
    // settlement_surplus
    {"{}: tasaus vuodelta {}, ylijäämä {} palautettu laskutuksen {} suhteessa kokonaistuottoon {}",
     "{}: avräkning för {}, överskott {} återbetalat i proportion till fakturerat {} av {}",
     "{}: settlement of {}, surplus {} returned in proportion to {} invoiced of {}"},
    // settlement_deficit
    {"{}: tasaus vuodelta {}, alijäämä {} veloitettu laskutuksen {} suhteessa kokonaistuottoon {}",
     "{}: avräkning för {}, underskott {} debiterat i proportion till fakturerat {} av {}",
     "{}: settlement of {}, deficit {} charged in proportion to {} invoiced of {}"},
    // settlement_change
    {" (muutos jo laskutettuun tasaukseen)", " (ändring av redan fakturerad avräkning)",
     " (change to the settlement already invoiced)"},
    // settlement_reversed
    {"{}: vuoden {} tasaus peruttu (erotus siirretään seuraavalle vuodelle)",
     "{}: avräkningen för {} återförd (skillnaden förs nu vidare)",
     "{}: settlement of {} reversed (the difference is now carried forward)"},
}};

}  // namespace

std::string_view phrase(Phrase p, std::string_view language) {
  const Texts& texts = kTexts.at(static_cast<std::size_t>(p));
  switch (language_or_default(language)) {
    case Language::sv:
      return texts.sv;
    case Language::en:
      return texts.en;
    case Language::fi:
      break;
  }
  return texts.fi;
}

}  // namespace costcover
