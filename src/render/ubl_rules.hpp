// The Peppol BIS Billing 3.0 and EN 16931 business rules that the UBL 2.1 schema cannot
// express (sums, mandatory references, code lists, VAT consistency), checked on the
// UblDocument that ubl_xml() writes field for field (render/ubl.hpp), and, for the rule
// against empty elements, on the XML text itself. Pure.
//
// Only rules that can fire on the documents the project writes are checked (no allowances,
// charges, prepayments or foreign tax currency are ever written); docs/einvoicing.md lists
// every rule with its text. The sums are checked exactly, to the cent, with the project's
// rounding (half away from zero), which is stricter than the tolerance of the official
// validation artefacts.
#pragma once

#include <string>
#include <vector>

#include "render/ubl.hpp"

namespace costcover::render {

struct UblFinding {
  std::string rule;     // "BR-CO-10"
  std::string message;  // "BR-CO-10: sum of line net amounts 120.00 != line extension amount 121.00"
};

// Every rule id check_ubl() checks, in the order of docs/einvoicing.md.
[[nodiscard]] const std::vector<std::string>& ubl_rule_ids();

// The findings of a document, in rule order; empty when it passes every rule.
[[nodiscard]] std::vector<UblFinding> check_ubl(const UblDocument& document);

}  // namespace costcover::render
