#include "jobs/contracts_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "contracts/loader.hpp"
#include "core/sha256.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "store/contracts.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

using VersionKey = std::pair<std::string, int>;

// The validated folder, the stored state and the files' hashes.
struct Load {
  const contracts::LoadResult& loaded;
  store::StoredContracts stored;
  std::map<std::string, std::string> hashes;  // path -> SHA-256 of the file as read
  std::set<VersionKey> present;               // the versions in the folder
};

// A changed text for a version a final invoice used, and a removed version a final
// invoice used: each a finding naming the file, the version and the invoice.
std::vector<Finding> refusals(soci::session& session, const Load& load) {
  std::vector<Finding> out;
  for (const auto& agreement : load.loaded.contracts.agreements) {
    const auto found = load.stored.versions.find({agreement.id, agreement.version});
    if (found == load.stored.versions.end() || found->second.hash == agreement.content_hash) continue;
    if (const auto invoice = store::final_invoice_using(session, agreement.id, agreement.version)) {
      out.push_back({{agreement.source_file, 0, 0},
                     fmt::format("agreement {} version {} was used by final invoice {} and cannot change; "
                                 "add a new version instead",
                                 agreement.id, agreement.version, *invoice)});
    }
  }
  for (const auto& [key, version] : load.stored.versions) {
    if (load.present.count(key) != 0) continue;
    if (const auto invoice = store::final_invoice_using(session, key.first, key.second)) {
      out.push_back({{version.file, 0, 0},
                     fmt::format("agreement {} version {} was used by final invoice {} and cannot be removed",
                                 key.first, key.second, *invoice)});
    }
  }
  return out;
}

// contract_file: new and changed files written, files no longer in the folder removed.
void store_files(soci::session& session, const Load& load, ContractsLoadReport& report) {
  for (const auto& file : load.loaded.sources) {
    const std::string& hash = load.hashes.at(file.path);
    const auto old = load.stored.file_hashes.find(file.path);
    if (old != load.stored.file_hashes.end() && old->second == hash) {
      ++report.unchanged;
      continue;
    }
    old == load.stored.file_hashes.end() ? ++report.added : ++report.changed;
    store::upsert_contract_file(session, file, hash);
  }
  for (const auto& [path, hash] : load.stored.file_hashes) {
    if (load.hashes.count(path) != 0) continue;
    store::delete_contract_file(session, path);
    ++report.changed;
  }
}

void store_price_lists(soci::session& session, const Load& load) {
  std::set<int> years;
  for (const auto& list : load.loaded.contracts.price_lists) {
    years.insert(list.year);
    const auto hash = load.hashes.find(list.source_file);
    store::store_price_list(session, list, hash == load.hashes.end() ? "" : hash->second);
  }
  store::delete_price_lists_except(session, years);
}

// agreement_version: each version whose text or file changed, upserted.
void store_versions(soci::session& session, const Load& load) {
  const auto& files = load.loaded.sources;
  for (const auto& agreement : load.loaded.contracts.agreements) {
    const auto found = load.stored.versions.find({agreement.id, agreement.version});
    if (found != load.stored.versions.end() && found->second.hash == agreement.content_hash &&
        found->second.file == agreement.source_file) {
      continue;
    }
    const auto file =
        std::find_if(files.begin(), files.end(), [&](const auto& f) { return f.path == agreement.source_file; });
    store::upsert_agreement_version(session, agreement, file != files.end() ? file->text : "");
  }
}

// Versions whose file is gone, with the drafts made with them (finals were refused).
void remove_versions(soci::session& session, const Load& load, ContractsLoadReport& report) {
  for (const auto& [key, version] : load.stored.versions) {
    if (load.present.count(key) != 0) continue;
    for (auto& draft : store::delete_drafts_of_version(session, key.first, key.second)) {
      report.removed_drafts.push_back(std::move(draft));
    }
    store::delete_agreement_version(session, key.first, key.second);
    report.removed_versions.push_back(key.first + " version " + std::to_string(key.second));
  }
}

// One attempt of the job: everything from the database's state as it is now.
void store_contracts(soci::session& session, const contracts::LoadResult& loaded, ContractsLoadReport& report) {
  Load load{loaded, store::read_stored_contracts(session), {}, {}};
  for (const auto& file : loaded.sources) load.hashes[file.path] = sha256_hex(file.text);
  for (const auto& agreement : loaded.contracts.agreements) load.present.insert({agreement.id, agreement.version});
  if (auto refused = refusals(session, load); !refused.empty()) throw InputError(refused);  // the job rolls back
  store_files(session, load, report);
  store::store_reference_data(session, loaded.contracts);
  store_price_lists(session, load);
  store_versions(session, load);
  remove_versions(session, load, report);
  report.agreement_versions = static_cast<int>(loaded.contracts.agreements.size());
}

// The report of a validated folder before anything is stored.
ContractsLoadReport validated(const contracts::LoadResult& loaded) {
  ContractsLoadReport report;
  report.files_read = loaded.files_read;
  report.files = static_cast<int>(loaded.sources.size());
  report.agencies = static_cast<int>(loaded.contracts.agencies.size());
  report.services = static_cast<int>(loaded.contracts.catalog.services.size());
  report.price_lists = static_cast<int>(loaded.contracts.price_lists.size());
  return report;
}

}  // namespace

ContractsLoadReport run_contracts_load(const std::string& dir, const Connect& connect) {
  const contracts::LoadResult loaded = contracts::load_directory(dir);
  if (!loaded.ok()) {
    ContractsLoadReport refused;
    refused.files_read = loaded.files_read;
    refused.findings = loaded.findings;
    return refused;
  }
  const auto session = connect();
  db::migrate(*session, db::project_dir() + "/sql");
  ContractsLoadReport report;
  const db::JobSpec spec("contracts load", db::kInvoicesLock, "{\"dir\":" + db::json_string(dir) + "}");
  db::run_job(*session, spec, [&](db::Job& run) {
    report = validated(loaded);  // the job may run again after a transient error
    run.step("storing the contracts");
    store_contracts(run.session(), loaded, report);
    run.count("files", report.files);
    run.count("added", report.added);
    run.count("changed", report.changed);
    run.count("unchanged", report.unchanged);
    run.count("agreement_versions", report.agreement_versions);
  });
  return report;
}

}  // namespace costcover::jobs
