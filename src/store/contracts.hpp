// The contracts in the database: every file of contracts/ (its path, bytes and SHA-256) in
// contract_file, and the parsed values in the relational tables of sql/001 (provider,
// service, agency, price_list(_item), agreement_version) for auditors. Jobs rebuild the
// ContractSet from the stored texts, never from the files, so a bill depends only on what
// the database holds. `contracts load` (jobs/contracts_load.hpp) decides what changes;
// these are its statements, each called inside its transaction.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "contracts/loader.hpp"
#include "core/decimal.hpp"
#include "model/model.hpp"

namespace costcover::store {

// An agreement version as stored.
struct StoredVersion {
  std::string hash;  // content_hash
  std::string file;  // source_file
};

// What a load compares the files with.
struct StoredContracts {
  std::map<std::string, std::string> file_hashes;                 // contract_file: path -> content_hash
  std::map<std::pair<std::string, int>, StoredVersion> versions;  // agreement_version: (id, version) -> ...
  std::map<std::pair<int, std::string>, Decimal> list_prices;     // price_list_item: (year, service) -> price
  std::map<int, std::string> list_files;                          // price_list: year -> source_file
};
[[nodiscard]] StoredContracts read_stored_contracts(soci::session& session);

// contract_file: one file inserted or replaced (its text and hash), or one removed.
void upsert_contract_file(soci::session& session, const contracts::SourceFile& file, const std::string& hash);
void delete_contract_file(soci::session& session, const std::string& path);

// provider, service and agency as the set holds them (rows that did not change are left
// as they are); the provider of another id is removed.
void store_reference_data(soci::session& session, const model::ContractSet& set);

// price_list and its items, from the file with this hash; then every list of a year not in
// `years` removed (its items with it).
void store_price_list(soci::session& session, const model::PriceList& list, const std::string& hash);
void delete_price_lists_except(soci::session& session, const std::set<int>& years);

// agreement_version: one version inserted or updated in place (draft invoice lines may
// reference it), with the text of its file; or one removed.
void upsert_agreement_version(soci::session& session, const model::Agreement& agreement, const std::string& text);
void delete_agreement_version(soci::session& session, const std::string& agreement_id, int version);

// The contract set as stored (throws InputError if the stored texts no longer validate,
// which would mean someone edited the tables by hand).
[[nodiscard]] model::ContractSet load_stored_contracts(soci::session& session);

// The SHA-256 of a stored file (contract_file.path, e.g. a cost model's source_file), ""
// when no such file is stored: what the yearly cost jobs record as their input.
[[nodiscard]] std::string contract_file_hash(soci::session& session, const std::string& path);

// The ids of the stored agencies, sorted (what an --agency option may name).
[[nodiscard]] std::vector<std::string> agency_ids(soci::session& session);

}  // namespace costcover::store
