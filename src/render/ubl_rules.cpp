// The business rules of render/ubl_rules.hpp, one entry per rule id in kRules. A rule sees
// the document's texts as written; an amount that is not an amount (more than 2 decimals,
// not a number) is reported by its BR-DEC rule and counts as absent in the sums.
#include "render/ubl_rules.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>

#include "core/dates.hpp"
#include "core/decimal.hpp"

namespace costcover::render {
namespace {

using Report = std::function<void(const std::string& message)>;
using Check = std::function<void(const UblDocument&, const Report&)>;

struct Rule {
  const char* id;
  Check check;
};

std::optional<Money> amount(const std::string& text) {
  if (Decimal::fraction_digits(text) < 0 || Decimal::fraction_digits(text) > 2) return std::nullopt;
  try {
    return Money::parse(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

std::optional<Decimal> decimal(const std::string& text) {
  try {
    return Decimal::parse(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

std::string shown(const std::string& text) { return text.empty() ? "(empty)" : "\"" + text + "\""; }

// Sum of amounts; nullopt when one is not an amount (its BR-DEC rule reports it).
std::optional<Money> sum(const std::vector<std::string>& texts) {
  Money total;
  for (const auto& text : texts) {
    const auto value = amount(text);
    if (!value) return std::nullopt;
    total += *value;
  }
  return total;
}

// "A == B" for two written amounts, reported when both are amounts and differ.
void equal(const Report& report, const std::string& what_a, std::optional<Money> a, const std::string& what_b,
           std::optional<Money> b) {
  if (a && b && *a != *b) report(what_a + " " + a->to_string() + " != " + what_b + " " + b->to_string());
}

bool has_line(const UblDocument& doc, const std::string& category) {
  return std::any_of(doc.lines.begin(), doc.lines.end(), [&](const UblLine& l) { return l.category == category; });
}

int breakdowns(const UblDocument& doc, const std::string& category) {
  return static_cast<int>(
      std::count_if(doc.vat.begin(), doc.vat.end(), [&](const UblVat& v) { return v.category == category; }));
}

// BR-x-01: a line of the category needs a breakdown of it (exactly one, or at least one for S).
Check breakdown_present(const std::string& category, bool exactly_one) {
  return [category, exactly_one](const UblDocument& doc, const Report& report) {
    if (!has_line(doc, category)) return;
    const int n = breakdowns(doc, category);
    if (n == 0 || (exactly_one && n != 1)) {
      report("lines in VAT category " + category + " need " + (exactly_one ? "exactly one" : "a") +
             " VAT breakdown of it, found " + std::to_string(n));
    }
  };
}

// BR-x-02: the seller's VAT id (and, for AE, the buyer's) with lines of the category.
Check vat_id_present(const std::string& category, bool buyer_too) {
  return [category, buyer_too](const UblDocument& doc, const Report& report) {
    if (!has_line(doc, category)) return;
    if (doc.seller.vat_id.empty()) report("lines in VAT category " + category + " need the seller's VAT id");
    if (buyer_too && doc.buyer.vat_id.empty() && doc.buyer.company_id.empty()) {
      report("lines in VAT category " + category + " need the buyer's VAT id or legal registration id");
    }
  };
}

// BR-x-05: the rate of a line of the category: above zero (S) or zero.
Check line_rate(const std::string& category, bool positive) {
  return [category, positive](const UblDocument& doc, const Report& report) {
    for (const auto& line : doc.lines) {
      if (line.category != category) continue;
      const auto rate = decimal(line.percent);
      const bool ok = rate && (positive ? *rate > Decimal{} : *rate == Decimal{});
      if (!ok) {
        report("line " + line.id + " in VAT category " + category + " has rate " + shown(line.percent) +
               (positive ? ", expected above 0" : ", expected 0"));
      }
    }
  };
}

// BR-x-08: the taxable amount of each breakdown of the category (and rate) is its lines' sum.
Check taxable_is_lines(const std::string& category) {
  return [category](const UblDocument& doc, const Report& report) {
    for (const auto& vat : doc.vat) {
      if (vat.category != category) continue;
      std::vector<std::string> amounts;
      for (const auto& line : doc.lines) {
        const bool same_rate = category == "O" || decimal(line.percent) == decimal(vat.percent);
        if (line.category == category && same_rate) amounts.push_back(line.amount);
      }
      equal(report,
            "VAT category " + category + (vat.percent.empty() ? "" : " " + vat.percent + "%") + " taxable amount",
            amount(vat.taxable), "sum of its lines", sum(amounts));
    }
  };
}

// BR-x-09: the tax of a breakdown: taxable x rate / 100 rounded to the cent (S), else 0.
Check tax_amount(const std::string& category, bool rated) {
  return [category, rated](const UblDocument& doc, const Report& report) {
    for (const auto& vat : doc.vat) {
      if (vat.category != category) continue;
      const auto taxable = amount(vat.taxable);
      const auto tax = amount(vat.tax);
      const auto rate = decimal(vat.percent);
      if (!taxable || !tax) continue;
      const Money expected = rated ? (rate ? percent_of(*taxable, *rate) : *tax) : Money{};
      if (*tax != expected) {
        report("VAT category " + category + " tax amount " + tax->to_string() + " != " + expected.to_string() +
               (rated ? " (" + taxable->to_string() + " x " + vat.percent + "%)" : ""));
      }
    }
  };
}

// BR-x-10: an exemption reason (code or text) required, or forbidden.
Check exemption(const std::string& category, bool required) {
  return [category, required](const UblDocument& doc, const Report& report) {
    for (const auto& vat : doc.vat) {
      if (vat.category != category) continue;
      const bool has = !vat.exemption_code.empty() || !vat.exemption_reason.empty();
      if (required && !has) report("VAT category " + category + " breakdown needs an exemption reason code or text");
      if (!required && has) {
        report("VAT category " + category + " breakdown must not have an exemption reason, has " +
               shown(vat.exemption_code + vat.exemption_reason));
      }
    }
  };
}

Check required(const std::string& what, const std::function<const std::string&(const UblDocument&)>& field) {
  return [what, field](const UblDocument& doc, const Report& report) {
    if (field(doc).empty()) report(what + " is missing");
  };
}

Check line_required(const std::string& what, const std::function<const std::string&(const UblLine&)>& field) {
  return [what, field](const UblDocument& doc, const Report& report) {
    for (const auto& line : doc.lines) {
      if (field(line).empty()) report("line " + shown(line.id) + ": " + what + " is missing");
    }
  };
}

Check vat_required(const std::string& what, const std::function<const std::string&(const UblVat&)>& field) {
  return [what, field](const UblDocument& doc, const Report& report) {
    for (const auto& vat : doc.vat) {
      if (field(vat).empty()) report("VAT breakdown " + shown(vat.category) + ": " + what + " is missing");
    }
  };
}

Check decimals(const std::string& what, const std::function<const std::string&(const UblDocument&)>& field) {
  return [what, field](const UblDocument& doc, const Report& report) {
    const std::string& text = field(doc);
    if (!text.empty() && !amount(text)) report(what + " " + shown(text) + " is not an amount with at most 2 decimals");
  };
}

Check in_list(const std::string& what, const std::set<std::string>& codes,
              const std::function<std::vector<std::string>(const UblDocument&)>& fields) {
  return [what, codes, fields](const UblDocument& doc, const Report& report) {
    for (const auto& code : fields(doc)) {
      if (!code.empty() && codes.count(code) == 0) report(what + " " + shown(code) + " is not in the code list");
    }
  };
}

const std::set<std::string> kVatCategories{"S", "Z", "E", "AE", "K", "G", "O", "L", "M"};
const std::set<std::string> kCountries{"FI", "SE", "NO", "DK", "EE", "DE", "AX"};
const std::set<std::string> kCurrencies{"EUR", "SEK", "NOK", "DKK", "USD", "GBP"};
// The electronic address schemes (EAS) of Peppol 3.0.21 the project may meet; 0037 is no
// longer one of them (Finnish endpoints use 0216, OVT codes).
const std::set<std::string> kEndpointSchemes{
    "0007", "0088", "0096", "0130", "0184", "0188", "0192", "0195", "0196", "0198", "0204", "0208", "0209",
    "0210", "0211", "0212", "0213", "0215", "0216", "0221", "0230", "0235", "9901", "9910", "9913", "9914",
    "9915", "9918", "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927", "9928", "9929", "9930",
    "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939", "9940", "9941", "9942", "9943",
    "9944", "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952", "9953", "9957", "9959"};
const std::set<std::string> kLegalSchemes{"0007", "0037", "0088", "0184", "0192", "0208", "0213", "0216"};
const std::set<std::string> kUnitCodes{"C62", "MON", "DAY", "HUR"};
const std::set<std::string> kPaymentMeans{"1", "30", "31", "42", "48", "49", "57", "58", "59"};

std::vector<std::string> line_categories(const UblDocument& doc) {
  std::vector<std::string> out;
  for (const auto& line : doc.lines) out.push_back(line.category);
  return out;
}

bool valid_date(const std::string& text) { return try_parse_date(text).has_value(); }

const std::vector<Rule>& rules() {
  static const std::vector<Rule> kTable{
      {"BR-01",
       required(
           "specification identifier (CustomizationID)", [](const auto& d) -> const auto& { return d.customization; })},
      {"PEPPOL-EN16931-R004",
       [](const UblDocument& d, const Report& r) {
         if (!d.customization.empty() && d.customization != kPeppolCustomization) {
           r("specification identifier " + shown(d.customization) + " is not " + kPeppolCustomization);
         }
       }},
      {"PEPPOL-EN16931-R001",
       required(
           "business process (ProfileID)", [](const auto& d) -> const auto& { return d.profile; })},
      {"PEPPOL-EN16931-R007",
       [](const UblDocument& d, const Report& r) {
         static const std::regex kPattern("urn:fdc:peppol\\.eu:2017:poacc:billing:[0-9]{2}:1\\.0");
         if (!d.profile.empty() && !std::regex_match(d.profile, kPattern)) {
           r("business process " + shown(d.profile) + " is not urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0");
         }
       }},
      {"BR-02", required(
                    "invoice number", [](const auto& d) -> const auto& { return d.number; })},
      {"BR-03", required(
                    "issue date", [](const auto& d) -> const auto& { return d.issue_date; })},
      {"BR-04", required(
                    "type code", [](const auto& d) -> const auto& { return d.type_code; })},
      {"BR-CL-01",
       [](const UblDocument& d, const Report& r) {
         const std::string expected = d.credit_note ? "381" : "380";
         if (!d.type_code.empty() && d.type_code != expected) {
           r("type code " + shown(d.type_code) + " is not " + expected + " for " +
             (d.credit_note ? "a CreditNote" : "an Invoice"));
         }
       }},
      {"BR-05", required(
                    "currency code", [](const auto& d) -> const auto& { return d.currency; })},
      {"BR-CL-04", in_list("currency code", kCurrencies,
                           [](const UblDocument& d) { return std::vector<std::string>{d.currency}; })},
      {"PEPPOL-EN16931-F001",
       [](const UblDocument& d, const Report& r) {
         const std::vector<std::pair<const char*, const std::string*>> dates{{"issue date", &d.issue_date},
                                                                             {"due date", &d.due_date},
                                                                             {"period start", &d.period_start},
                                                                             {"period end", &d.period_end}};
         for (const auto& [what, text] : dates) {
           if (!text->empty() && !valid_date(*text)) r(std::string(what) + " " + shown(*text) + " is not YYYY-MM-DD");
         }
       }},
      {"BR-29",
       [](const UblDocument& d, const Report& r) {
         if (valid_date(d.period_start) && valid_date(d.period_end) && d.period_end < d.period_start) {
           r("invoice period ends " + d.period_end + " before it starts " + d.period_start);
         }
       }},
      {"PEPPOL-EN16931-R003", required(
                                  "buyer reference", [](const auto& d) -> const auto& { return d.buyer_reference; })},
      {"BR-06", required(
                    "seller name", [](const auto& d) -> const auto& { return d.seller.legal_name; })},
      {"BR-07", required(
                    "buyer name", [](const auto& d) -> const auto& { return d.buyer.legal_name; })},
      {"BR-09", required(
                    "seller country code", [](const auto& d) -> const auto& { return d.seller.country; })},
      {"BR-11", required(
                    "buyer country code", [](const auto& d) -> const auto& { return d.buyer.country; })},
      {"BR-CL-14", in_list("country code", kCountries,
                           [](const UblDocument& d) {
                             return std::vector<std::string>{d.seller.country, d.buyer.country};
                           })},
      {"BR-CO-09",
       [](const UblDocument& d, const Report& r) {
         static const std::regex kPattern("[A-Z]{2}[0-9A-Za-z+*.]{2,13}");
         for (const auto* vat_id : {&d.seller.vat_id, &d.buyer.vat_id}) {
           if (!vat_id->empty() && !std::regex_match(*vat_id, kPattern)) {
             r("VAT id " + shown(*vat_id) + " does not start with a country code");
           }
         }
       }},
      {"BR-CO-26",
       [](const UblDocument& d, const Report& r) {
         if (d.seller.company_id.empty() && d.seller.vat_id.empty()) {
           r("the seller has neither a legal registration id nor a VAT id");
         }
       }},
      {"BR-CL-11", in_list("legal registration id scheme", kLegalSchemes,
                           [](const UblDocument& d) {
                             return std::vector<std::string>{d.seller.company_scheme, d.buyer.company_scheme};
                           })},
      {"PEPPOL-EN16931-R020",
       required(
           "seller electronic address", [](const auto& d) -> const auto& { return d.seller.endpoint_id; })},
      {"PEPPOL-EN16931-R010",
       required(
           "buyer electronic address", [](const auto& d) -> const auto& { return d.buyer.endpoint_id; })},
      {"BR-62",
       [](const UblDocument& d, const Report& r) {
         if (!d.seller.endpoint_id.empty() && d.seller.endpoint_scheme.empty()) {
           r("seller electronic address " + shown(d.seller.endpoint_id) + " has no scheme");
         }
       }},
      {"BR-63",
       [](const UblDocument& d, const Report& r) {
         if (!d.buyer.endpoint_id.empty() && d.buyer.endpoint_scheme.empty()) {
           r("buyer electronic address " + shown(d.buyer.endpoint_id) + " has no scheme");
         }
       }},
      {"PEPPOL-EN16931-CL008",
       in_list("electronic address scheme", kEndpointSchemes,
               [](const UblDocument& d) {
                 return std::vector<std::string>{d.seller.endpoint_scheme, d.buyer.endpoint_scheme};
               })},
      {"BR-55",
       [](const UblDocument& d, const Report& r) {
         for (const auto& number : d.billing_references) {
           if (number.empty()) r("a preceding invoice reference has no invoice number");
         }
       }},
      {"BR-CL-16", in_list("payment means code", kPaymentMeans,
                           [](const UblDocument& d) { return std::vector<std::string>{d.payment_means_code}; })},
      {"BR-61",
       [](const UblDocument& d, const Report& r) {
         if ((d.payment_means_code == "30" || d.payment_means_code == "58") && d.iban.empty()) {
           r("payment means " + d.payment_means_code + " (credit transfer) has no payee account (IBAN)");
         }
       }},
      {"BR-CO-25",
       [](const UblDocument& d, const Report& r) {
         const auto payable = amount(d.payable);
         if (payable && *payable > Money{} && d.due_date.empty() && d.payment_terms.empty()) {
           r("amount due " + payable->to_string() + " is positive but there is no due date and no payment terms");
         }
       }},
      {"BR-16",
       [](const UblDocument& d, const Report& r) {
         if (d.lines.empty()) r("the document has no lines");
       }},
      {"BR-21", line_required(
                    "line id", [](const auto& l) -> const auto& { return l.id; })},
      {"BR-22", line_required(
                    "quantity", [](const auto& l) -> const auto& { return l.quantity; })},
      {"BR-23", line_required(
                    "unit code", [](const auto& l) -> const auto& { return l.unit_code; })},
      {"BR-CL-23", in_list("unit code", kUnitCodes,
                           [](const UblDocument& d) {
                             std::vector<std::string> out;
                             for (const auto& l : d.lines) out.push_back(l.unit_code);
                             return out;
                           })},
      {"BR-24", line_required(
                    "line net amount", [](const auto& l) -> const auto& { return l.amount; })},
      {"BR-25", line_required(
                    "item name", [](const auto& l) -> const auto& { return l.item_name; })},
      {"BR-26", line_required(
                    "item net price", [](const auto& l) -> const auto& { return l.price; })},
      {"BR-27",
       [](const UblDocument& d, const Report& r) {
         for (const auto& l : d.lines) {
           const auto price = decimal(l.price);
           if (!l.price.empty() && (!price || *price < Decimal{})) {
             r("line " + l.id + ": item net price " + shown(l.price) + " is negative or not a number");
           }
         }
       }},
      {"PEPPOL-EN16931-R120",
       [](const UblDocument& d, const Report& r) {
         for (const auto& l : d.lines) {
           const auto price = decimal(l.price);
           const auto net = amount(l.amount);
           std::int64_t quantity = 0;
           try {
             std::size_t used = 0;
             quantity = std::stoll(l.quantity, &used);
             if (used != l.quantity.size()) continue;
           } catch (const std::exception&) {
             continue;
           }
           if (!price || !net) continue;
           const Money expected = multiply_round(quantity, *price);
           if (expected != *net) {
             r("line " + l.id + ": net amount " + net->to_string() + " != quantity " + l.quantity + " x price " +
               l.price + " = " + expected.to_string());
           }
         }
       }},
      {"BR-CO-04", line_required(
                       "VAT category code", [](const auto& l) -> const auto& { return l.category; })},
      {"BR-CL-18", in_list("line VAT category code", kVatCategories, line_categories)},
      {"BR-CO-18",
       [](const UblDocument& d, const Report& r) {
         if (d.vat.empty()) r("the document has no VAT breakdown");
       }},
      {"PEPPOL-EN16931-R053",
       [](const UblDocument& d, const Report& r) {
         if (d.vat.empty() || d.tax_total.empty()) {
           r("the document needs exactly one tax total with its VAT breakdown (tax total " + shown(d.tax_total) + ", " +
             std::to_string(d.vat.size()) + " breakdown(s))");
         }
       }},
      {"BR-45", vat_required(
                    "taxable amount", [](const auto& v) -> const auto& { return v.taxable; })},
      {"BR-46", vat_required(
                    "tax amount", [](const auto& v) -> const auto& { return v.tax; })},
      {"BR-47", vat_required(
                    "VAT category code", [](const auto& v) -> const auto& { return v.category; })},
      {"BR-48",
       [](const UblDocument& d, const Report& r) {
         for (const auto& v : d.vat) {
           if (v.category != "O" && v.percent.empty()) r("VAT breakdown " + shown(v.category) + " has no rate");
         }
       }},
      {"BR-CL-17", in_list("VAT breakdown category code", kVatCategories,
                           [](const UblDocument& d) {
                             std::vector<std::string> out;
                             for (const auto& v : d.vat) out.push_back(v.category);
                             return out;
                           })},
      {"BR-CL-22",
       [](const UblDocument& d, const Report& r) {
         for (const auto& v : d.vat) {
           if (!v.exemption_code.empty() && v.exemption_code.rfind("VATEX-", 0) != 0) {
             r("exemption reason code " + shown(v.exemption_code) + " is not a VATEX code");
           }
         }
       }},
      {"BR-CO-10",
       [](const UblDocument& d, const Report& r) {
         std::vector<std::string> amounts;
         for (const auto& l : d.lines) amounts.push_back(l.amount);
         equal(r, "sum of line net amounts", sum(amounts), "line extension amount", amount(d.line_extension));
       }},
      {"BR-CO-13",
       [](const UblDocument& d, const Report& r) {
         equal(r, "total without VAT", amount(d.tax_exclusive), "line extension amount (no allowances or charges)",
               amount(d.line_extension));
       }},
      {"BR-CO-14",
       [](const UblDocument& d, const Report& r) {
         std::vector<std::string> taxes;
         for (const auto& v : d.vat) taxes.push_back(v.tax);
         equal(r, "total VAT", amount(d.tax_total), "sum of the VAT breakdown's tax amounts", sum(taxes));
       }},
      {"BR-CO-15",
       [](const UblDocument& d, const Report& r) {
         const auto exclusive = amount(d.tax_exclusive);
         const auto tax = amount(d.tax_total);
         if (exclusive && tax) {
           equal(r, "total with VAT", amount(d.tax_inclusive), "total without VAT + total VAT", *exclusive + *tax);
         }
       }},
      {"BR-CO-16",
       [](const UblDocument& d, const Report& r) {
         equal(r, "amount due", amount(d.payable), "total with VAT (nothing prepaid, no rounding)",
               amount(d.tax_inclusive));
       }},
      {"BR-DEC-09", decimals(
                        "line extension amount", [](const auto& d) -> const auto& { return d.line_extension; })},
      {"BR-DEC-12", decimals(
                        "total without VAT", [](const auto& d) -> const auto& { return d.tax_exclusive; })},
      {"BR-DEC-13", decimals(
                        "total VAT", [](const auto& d) -> const auto& { return d.tax_total; })},
      {"BR-DEC-14", decimals(
                        "total with VAT", [](const auto& d) -> const auto& { return d.tax_inclusive; })},
      {"BR-DEC-18", decimals(
                        "amount due", [](const auto& d) -> const auto& { return d.payable; })},
      {"BR-DEC-19",
       [](const UblDocument& d, const Report& r) {
         for (const auto& v : d.vat) {
           if (!v.taxable.empty() && !amount(v.taxable)) {
             r("VAT category " + v.category + " taxable amount " + shown(v.taxable) +
               " is not an amount with at most 2 decimals");
           }
         }
       }},
      {"BR-DEC-20",
       [](const UblDocument& d, const Report& r) {
         for (const auto& v : d.vat) {
           if (!v.tax.empty() && !amount(v.tax)) {
             r("VAT category " + v.category + " tax amount " + shown(v.tax) +
               " is not an amount with at most 2 decimals");
           }
         }
       }},
      {"BR-DEC-23",
       [](const UblDocument& d, const Report& r) {
         for (const auto& l : d.lines) {
           if (!l.amount.empty() && !amount(l.amount)) {
             r("line " + l.id + " net amount " + shown(l.amount) + " is not an amount with at most 2 decimals");
           }
         }
       }},
      // Not subject to VAT (O).
      {"BR-O-01", breakdown_present("O", true)},
      {"BR-O-02",
       [](const UblDocument& d, const Report& r) {
         if (!has_line(d, "O")) return;
         if (!d.seller.vat_id.empty())
           r("lines in VAT category O: the seller's VAT id " + d.seller.vat_id + " is written");
         if (!d.buyer.vat_id.empty())
           r("lines in VAT category O: the buyer's VAT id " + d.buyer.vat_id + " is written");
       }},
      {"BR-O-05",
       [](const UblDocument& d, const Report& r) {
         for (const auto& l : d.lines) {
           if (l.category == "O" && !l.percent.empty()) r("line " + l.id + " in VAT category O has rate " + l.percent);
         }
       }},
      {"BR-O-08", taxable_is_lines("O")},
      {"BR-O-09", tax_amount("O", false)},
      {"BR-O-10", exemption("O", true)},
      {"BR-O-11",
       [](const UblDocument& d, const Report& r) {
         if (breakdowns(d, "O") == 0) return;
         for (const auto& v : d.vat) {
           if (v.category != "O") r("a VAT breakdown O shares the document with a breakdown " + shown(v.category));
         }
       }},
      {"BR-O-12",
       [](const UblDocument& d, const Report& r) {
         if (breakdowns(d, "O") == 0) return;
         for (const auto& l : d.lines) {
           if (l.category != "O")
             r("a VAT breakdown O shares the document with line " + l.id + " in " + shown(l.category));
         }
       }},
      // Standard rate (S).
      {"BR-S-01", breakdown_present("S", false)},
      {"BR-S-02", vat_id_present("S", false)},
      {"BR-S-05", line_rate("S", true)},
      {"BR-S-08", taxable_is_lines("S")},
      {"BR-S-09", tax_amount("S", true)},
      {"BR-S-10", exemption("S", false)},
      // Zero rated (Z).
      {"BR-Z-01", breakdown_present("Z", true)},
      {"BR-Z-02", vat_id_present("Z", false)},
      {"BR-Z-05", line_rate("Z", false)},
      {"BR-Z-08", taxable_is_lines("Z")},
      {"BR-Z-09", tax_amount("Z", false)},
      {"BR-Z-10", exemption("Z", false)},
      // Exempt (E).
      {"BR-E-01", breakdown_present("E", true)},
      {"BR-E-02", vat_id_present("E", false)},
      {"BR-E-05", line_rate("E", false)},
      {"BR-E-08", taxable_is_lines("E")},
      {"BR-E-09", tax_amount("E", false)},
      {"BR-E-10", exemption("E", true)},
      // Reverse charge (AE).
      {"BR-AE-01", breakdown_present("AE", true)},
      {"BR-AE-02", vat_id_present("AE", true)},
      {"BR-AE-05", line_rate("AE", false)},
      {"BR-AE-08", taxable_is_lines("AE")},
      {"BR-AE-09", tax_amount("AE", false)},
      {"BR-AE-10", exemption("AE", true)},
      // On the text written: no element without content.
      {"PEPPOL-EN16931-R008",
       [](const UblDocument& d, const Report& r) {
         static const std::regex kEmpty("<([A-Za-z:]+)[^>/]*>\\s*</\\1>");
         const std::string xml = ubl_xml(d);
         std::smatch match;
         if (std::regex_search(xml, match, kEmpty)) r("element " + match[1].str() + " is empty");
       }},
  };
  return kTable;
}

}  // namespace

const std::vector<std::string>& ubl_rule_ids() {
  static const std::vector<std::string> kIds = [] {
    std::vector<std::string> out;
    for (const auto& rule : rules()) out.emplace_back(rule.id);
    return out;
  }();
  return kIds;
}

std::vector<UblFinding> check_ubl(const UblDocument& document) {
  std::vector<UblFinding> findings;
  for (const auto& rule : rules()) {
    const std::string id = rule.id;
    rule.check(document, [&](const std::string& message) { findings.push_back({id, id + ": " + message}); });
  }
  return findings;
}

}  // namespace costcover::render
