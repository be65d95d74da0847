#include "contracts/rules.hpp"

#include <utility>

namespace costcover::contracts {
namespace {

// Every enumerator has a case (-Wswitch): a new Rule needs its id and summary here.
std::optional<RuleInfo> lookup(Rule rule) {
  switch (rule) {
    case Rule::not_a_directory:
      return RuleInfo{rule, "not_a_directory", "the contracts folder named is not a directory"};
    case Rule::missing_file:
      return RuleInfo{rule, "missing_file", "catalog.yaml or agencies.yaml is missing"};
    case Rule::symbolic_link:
      return RuleInfo{rule, "symbolic_link",
                      "a file or folder inside the contracts folder is a symbolic link (refused, never followed)"};
    case Rule::not_a_regular_file:
      return RuleInfo{rule, "not_a_regular_file", "a contracts file that is not a regular file (a FIFO, a device)"};
    case Rule::unreadable:
      return RuleInfo{rule, "unreadable", "a contracts file that cannot be opened or read"};
    case Rule::yml_extension:
      return RuleInfo{rule, "yml_extension", "a file ending .yml under prices/, agreements/ or costs/"};
    case Rule::repeated_file:
      return RuleInfo{rule, "repeated_file", "a second catalog or agencies file"};
    case Rule::file_too_large:
      return RuleInfo{rule, "file_too_large", "a file above 1 MiB"};
    case Rule::not_utf8:
      return RuleInfo{rule, "not_utf8", "a byte that is not UTF-8"};
    case Rule::file_control_character:
      return RuleInfo{rule, "file_control_character", "a control character other than tab and line breaks in a file"};
    case Rule::empty_file:
      return RuleInfo{rule, "empty_file", "a file without a YAML document"};
    case Rule::yaml_syntax:
      return RuleInfo{rule, "yaml_syntax", "YAML the parser cannot read"};
    case Rule::alias:
      return RuleInfo{rule, "alias", "an alias (*name)"};
    case Rule::second_document:
      return RuleInfo{rule, "second_document", "a second YAML document or stray text after the first"};
    case Rule::wrong_type:
      return RuleInfo{rule, "wrong_type", "a mapping, list, scalar or nothing where the format wants another"};
    case Rule::key_not_a_name:
      return RuleInfo{rule, "key_not_a_name", "a mapping key that is not a name"};
    case Rule::unknown_key:
      return RuleInfo{rule, "unknown_key", "a key the format does not know"};
    case Rule::repeated_key:
      return RuleInfo{rule, "repeated_key", "a key written twice in one mapping"};
    case Rule::missing_key:
      return RuleInfo{rule, "missing_key", "a required key is missing"};
    case Rule::empty_list:
      return RuleInfo{rule, "empty_list", "a list or mapping that must hold something is empty"};
    case Rule::exclusive_keys:
      return RuleInfo{rule, "exclusive_keys", "two keys of which only one may be given"};
    case Rule::needs_one_of:
      return RuleInfo{rule, "needs_one_of", "neither of two keys of which one is needed"};
    case Rule::text_control_character:
      return RuleInfo{rule, "text_control_character",
                      "a text value holding a control character other than tab and line feed"};
    case Rule::text_too_long:
      return RuleInfo{rule, "text_too_long", "a text longer than its bound"};
    case Rule::not_a_number:
      return RuleInfo{rule, "not_a_number", "a number, whole number or amount not written as a plain decimal"};
    case Rule::too_many_decimals:
      return RuleInfo{rule, "too_many_decimals", "a number with more decimals than its field allows"};
    case Rule::negative:
      return RuleInfo{rule, "negative", "a negative number where none is allowed"};
    case Rule::above_largest:
      return RuleInfo{rule, "above_largest", "a number or day above the largest allowed"};
    case Rule::below_smallest:
      return RuleInfo{rule, "below_smallest", "a number or day below the smallest allowed"};
    case Rule::not_a_date:
      return RuleInfo{rule, "not_a_date", "a day not written as a real YYYY-MM-DD"};
    case Rule::range_reversed:
      return RuleInfo{rule, "range_reversed", "a range whose from is after its to"};
    case Rule::bad_id:
      return RuleInfo{rule, "bad_id", "an id, name or tag not of its form"};
    case Rule::not_one_of:
      return RuleInfo{rule, "not_one_of", "a word outside its fixed set"};
    case Rule::repeated_id:
      return RuleInfo{rule, "repeated_id", "an id or account prefix listed twice where it must be unique"};
    case Rule::bad_business_id:
      return RuleInfo{rule, "bad_business_id", "a Y-tunnus not written NNNNNNN-C"};
    case Rule::business_id_no_check_digit:
      return RuleInfo{rule, "business_id_no_check_digit", "a Y-tunnus whose digits have no check digit"};
    case Rule::business_id_check_digit:
      return RuleInfo{rule, "business_id_check_digit", "a Y-tunnus with a wrong check digit"};
    case Rule::bad_vat_id:
      return RuleInfo{rule, "bad_vat_id", "a VAT id that is not FI and 8 digits"};
    case Rule::vat_id_mismatch:
      return RuleInfo{rule, "vat_id_mismatch", "a VAT id that does not match the business id"};
    case Rule::vat_id_required:
      return RuleInfo{rule, "vat_id_required", "no provider.vat_id while a service is subject to VAT"};
    case Rule::bad_iban:
      return RuleInfo{rule, "bad_iban", "an IBAN whose check digits fail"};
    case Rule::bad_bic:
      return RuleInfo{rule, "bad_bic", "a BIC that is not 8 or 11 capital letters and digits"};
    case Rule::bad_country:
      return RuleInfo{rule, "bad_country", "a country that is not two capital letters"};
    case Rule::bad_scheme:
      return RuleInfo{rule, "bad_scheme", "an e-invoice scheme that is not 4 digits"};
    case Rule::scheme_not_address:
      return RuleInfo{rule, "scheme_not_address", "e-invoice scheme 0037, which is not an address scheme"};
    case Rule::bad_language:
      return RuleInfo{rule, "bad_language", "a service name's language that is not two lower-case letters"};
    case Rule::agency_language:
      return RuleInfo{rule, "agency_language", "an agency's language that is not fi, sv or en"};
    case Rule::bad_operator:
      return RuleInfo{rule, "bad_operator",
                      "an e-invoice operator id that is not 4 to 35 digits or upper-case letters"};
    case Rule::bad_email:
      return RuleInfo{rule, "bad_email", "a contact's e-mail address without a user and a domain"};
    case Rule::standard_rate_zero:
      return RuleInfo{rule, "standard_rate_zero", "VAT category S with rate 0"};
    case Rule::key_not_for_kind:
      return RuleInfo{rule, "key_not_for_kind",
                      "a key the kind does not use (exception kind, VAT category, centre kind)"};
    case Rule::unknown_service:
      return RuleInfo{rule, "unknown_service", "a service that is not in the catalog"};
    case Rule::unknown_agency:
      return RuleInfo{rule, "unknown_agency", "an agreement's client that is not in agencies.yaml"};
    case Rule::year_not_file_name:
      return RuleInfo{rule, "year_not_file_name", "a price list or cost model year that differs from its file name"};
    case Rule::repeated_year:
      return RuleInfo{rule, "repeated_year", "two price lists or two cost models of one year"};
    case Rule::tier_without_up_to:
      return RuleInfo{rule, "tier_without_up_to", "a tier other than the last without up_to"};
    case Rule::last_tier_up_to:
      return RuleInfo{rule, "last_tier_up_to", "an up_to on the last tier"};
    case Rule::tiers_not_increasing:
      return RuleInfo{rule, "tiers_not_increasing", "tier up_to values that do not increase"};
    case Rule::lower_above_upper:
      return RuleInfo{rule, "lower_above_upper", "a lower_limit above the upper_limit"};
    case Rule::over_limit_without_upper:
      return RuleInfo{rule, "over_limit_without_upper", "over_limit without an upper_limit"};
    case Rule::key_required_for_kind:
      return RuleInfo{rule, "key_required_for_kind", "a key the exception's kind requires is missing"};
    case Rule::service_not_in_agreement:
      return RuleInfo{rule, "service_not_in_agreement", "an exception naming a service the agreement does not have"};
    case Rule::outside_agreement:
      return RuleInfo{rule, "outside_agreement", "an exception's period or date outside agreement.valid"};
    case Rule::repeated_version:
      return RuleInfo{rule, "repeated_version", "an agreement version given twice"};
    case Rule::client_changes:
      return RuleInfo{rule, "client_changes", "versions of one agreement with different clients"};
    case Rule::no_price:
      return RuleInfo{rule, "no_price", "a list-priced service without a price on a day its version is in force"};
    case Rule::waiver_without_targets:
      return RuleInfo{rule, "waiver_without_targets", "an sla_waiver over services that have no performance targets"};
    case Rule::shares_sum:
      return RuleInfo{rule, "shares_sum", "shares that do not sum to 1"};
    case Rule::allocates_to_itself:
      return RuleInfo{rule, "allocates_to_itself", "a support centre allocating to itself"};
    case Rule::no_production_centre:
      return RuleInfo{rule, "no_production_centre", "a cost model without a production centre"};
    case Rule::unknown_cost_type:
      return RuleInfo{rule, "unknown_cost_type", "a cost type outside the fixed six"};
    case Rule::no_catch_all:
      return RuleInfo{rule, "no_catch_all", "cost types without the catch-all prefix \"\""};
    case Rule::unknown_centre:
      return RuleInfo{rule, "unknown_centre", "a reference to a cost centre that is not defined"};
    case Rule::unknown_driver:
      return RuleInfo{rule, "unknown_driver", "a reference to a driver that is not defined"};
    case Rule::no_forecast:
      return RuleInfo{rule, "no_forecast", "a production centre's service without a forecast_volumes entry"};
  }
  return std::nullopt;
}

}  // namespace

RuleInfo rule_info(Rule rule) {
  if (auto info = lookup(rule)) return *info;
  throw InvariantError("contracts: rule " + std::to_string(static_cast<int>(rule)) + " is not registered");
}

std::string_view rule_id(Rule rule) { return rule_info(rule).id; }

const std::vector<RuleInfo>& all_rules() {
  static const std::vector<RuleInfo> kRules = [] {
    std::vector<RuleInfo> out;
    for (int i = 0;; ++i) {
      const auto info = lookup(static_cast<Rule>(i));
      if (!info) break;
      out.push_back(*info);
    }
    return out;
  }();
  return kRules;
}

std::optional<Rule> find_rule(std::string_view id) {
  for (const RuleInfo& info : all_rules()) {
    if (info.id == id) return info.rule;
  }
  return std::nullopt;
}

Finding make_finding(Rule rule, Location where, std::string message) {
  Finding finding{std::move(where), std::move(message)};
  finding.rule = std::string(rule_id(rule));
  return finding;
}

}  // namespace costcover::contracts
