// PRIVATE to src/contracts/: one parser per file kind. Each reads a parsed YAML document,
// reports every problem it can see within the file (and references it can check against
// the catalog and agencies passed in, when those loaded), and returns the value it could
// build. Checks that need the whole file set (price coverage, repeated versions) are in
// loader.cpp; finding the files of a folder is folder.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contracts/yaml_fields.hpp"
#include "model/model.hpp"

namespace costcover::contracts::detail {

// "the file is N bytes, above the largest allowed 1048576 (1 MiB)".
[[nodiscard]] std::string too_large_message(std::uintmax_t bytes);
// By file, line and column (stable).
void sort_findings(std::vector<Finding>& findings);

[[nodiscard]] std::optional<model::Catalog> parse_catalog(FileContext& context, const YAML::Node& root);
[[nodiscard]] std::vector<model::Agency> parse_agencies(FileContext& context, const YAML::Node& root);
// catalog is null when catalog.yaml did not load (service references are then not checked).
[[nodiscard]] std::optional<model::PriceList> parse_price_list(FileContext& context, const YAML::Node& root,
                                                               const model::Catalog* catalog);
[[nodiscard]] std::optional<model::CostModel> parse_cost_model(FileContext& context, const YAML::Node& root,
                                                               const model::Catalog* catalog);

struct ParsedAgreement {
  model::Agreement agreement;
  Location version_at;             // agreement.version
  Location client_at;              // agreement.client
  std::vector<Location> price_at;  // per agreement.services entry: its price key
  bool have_valid = false;         // agreement.valid was read (periods are checked against it)
};
[[nodiscard]] std::optional<ParsedAgreement> parse_agreement(FileContext& context, const YAML::Node& root,
                                                             const model::Catalog* catalog,
                                                             const std::vector<model::Agency>* agencies);

}  // namespace costcover::contracts::detail
