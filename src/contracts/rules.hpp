// The rules of the contracts loader, each with a stable identity. Every finding the loader
// makes carries the id of the rule that made it (Finding::rule, e.g. "unknown_key"): the
// loader's only ways to make a finding (detail::FileContext::error, make_finding) take a
// Rule, so a finding without a rule does not compile, and rule_info()'s switch lists every
// enumerator (a Rule without an id and a summary does not compile either, -Wswitch).
//
// Each rule is pinned by a case: a fixture under tests/unit/contracts/broken/ that names
// it ("# rule: unknown_key" under "# expect: ..."), or, for what a fixture cannot hold
// (links, sizes, bytes, a second file of a kind), a generated case in
// tests/unit/contracts/rule_cases.cpp. tests/unit/contracts/rules_test.cpp fails when a
// rule has no case, and a case whose finding has another rule fails too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace costcover::contracts {

// Contiguous from 0 (no explicit values): all_rules() enumerates them in this order.
enum class Rule {
  // The folder and its files.
  not_a_directory,
  missing_file,
  symbolic_link,
  not_a_regular_file,
  unreadable,
  yml_extension,
  repeated_file,
  file_too_large,
  not_utf8,
  file_control_character,
  empty_file,
  yaml_syntax,
  alias,
  second_document,
  // The shape of a document.
  wrong_type,
  key_not_a_name,
  unknown_key,
  repeated_key,
  missing_key,
  empty_list,
  exclusive_keys,
  needs_one_of,
  // Values.
  text_control_character,
  text_too_long,
  not_a_number,
  too_many_decimals,
  negative,
  above_largest,
  below_smallest,
  not_a_date,
  range_reversed,
  bad_id,
  not_one_of,
  repeated_id,
  // Catalog and agencies.
  bad_business_id,
  business_id_no_check_digit,
  business_id_check_digit,
  bad_vat_id,
  vat_id_mismatch,
  vat_id_required,
  bad_iban,
  bad_bic,
  bad_country,
  bad_scheme,
  scheme_not_address,
  bad_language,
  agency_language,
  bad_operator,
  bad_email,
  standard_rate_zero,
  key_not_for_kind,
  // Price lists and agreements.
  unknown_service,
  unknown_agency,
  year_not_file_name,
  repeated_year,
  tier_without_up_to,
  last_tier_up_to,
  tiers_not_increasing,
  lower_above_upper,
  over_limit_without_upper,
  key_required_for_kind,
  service_not_in_agreement,
  outside_agreement,
  repeated_version,
  client_changes,
  no_price,
  waiver_without_targets,
  // Cost models.
  shares_sum,
  allocates_to_itself,
  no_production_centre,
  unknown_cost_type,
  no_catch_all,
  unknown_centre,
  unknown_driver,
  no_forecast,
};

struct RuleInfo {
  Rule rule = Rule::wrong_type;
  std::string_view id;       // snake_case, stable: fixtures and tools name the rule by it
  std::string_view summary;  // what the rule refuses
};

[[nodiscard]] RuleInfo rule_info(Rule rule);
[[nodiscard]] std::string_view rule_id(Rule rule);
// Every rule, in enum order.
[[nodiscard]] const std::vector<RuleInfo>& all_rules();
// The rule with this id, if any.
[[nodiscard]] std::optional<Rule> find_rule(std::string_view id);

// A finding of the loader: where, what, and the rule that refuses it.
[[nodiscard]] Finding make_finding(Rule rule, Location where, std::string message);

}  // namespace costcover::contracts
