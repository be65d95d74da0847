// The contracts in the database: `contracts load` stores every file of contracts/ (its
// path, bytes and SHA-256) in contract_file and the parsed values in the relational tables
// of sql/001 (provider, service, agency, price_list(_item), agreement_version) for
// auditors. Jobs rebuild the ContractSet from the stored texts, never from the files, so
// a bill depends only on what the database holds.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "contracts/loader.hpp"
#include "model/model.hpp"

namespace costcover::store {

struct StoreResult {
  int files = 0;
  int unchanged = 0;  // same path and hash as stored
  int changed = 0;    // replaced
  int added = 0;
  int agreement_versions = 0;                 // stored in all
  std::vector<std::string> removed_versions;  // "ID version N" no longer in the folder
  std::vector<std::string> removed_drafts;    // "AGENCY YYYY-MM": drafts that used one of them
};

// Stores a validated file set. Call inside the job's transaction (db::run_job under the
// invoices lock: the load removes stale drafts, and billing must not read half a load). A
// changed text for an agreement version that a final invoice already used is refused
// (InputError naming the file, the version and the invoice); the transaction then rolls
// back and the database is left untouched.
StoreResult store_contracts(soci::session& session, const std::vector<contracts::SourceFile>& files,
                            const model::ContractSet& contracts);

// The contract set as stored (throws InputError if the stored texts no longer validate,
// which would mean someone edited the tables by hand).
[[nodiscard]] model::ContractSet load_stored_contracts(soci::session& session);

// Reads every file a contracts folder holds, as load_directory would (paths relative to
// the folder's parent, e.g. "contracts/agreements/ktl.yaml").
[[nodiscard]] std::vector<contracts::SourceFile> read_contract_files(const std::string& dir);

// The SHA-256 of a stored file (contract_file.path, e.g. a cost model's source_file), ""
// when no such file is stored: what the yearly cost jobs record as their input.
[[nodiscard]] std::string contract_file_hash(soci::session& session, const std::string& path);

}  // namespace costcover::store
