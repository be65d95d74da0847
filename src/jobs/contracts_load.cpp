#include "jobs/contracts_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "contracts/loader.hpp"
#include "core/sha256.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "model/model.hpp"
#include "store/calendar.hpp"
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

// At most this many invoice numbers in one refusal; the rest are counted.
constexpr std::size_t kNamedInvoices = 5;

// "2026-000001, 2026-000002 and 3 more".
std::string invoice_numbers(const std::vector<std::string>& numbers) {
  const std::size_t named = std::min(numbers.size(), kNamedInvoices);
  std::string out =
      fmt::format("{}", fmt::join(numbers.begin(), numbers.begin() + static_cast<std::ptrdiff_t>(named), ", "));
  if (numbers.size() > named) out += fmt::format(" and {} more", numbers.size() - named);
  return out;
}

// A price as written in a list: "4.20", "0.1234".
std::string price_text(Decimal price) {
  std::string text = price.to_string(4);
  while (text.size() > 3 && text.back() == '0' && text[text.size() - 3] != '.') text.pop_back();
  return text;
}

// "purchase-invoice:" (spaces allowed before the colon) at the start of `text`.
bool starts_with_key(std::string_view text, std::string_view key) {
  if (text.substr(0, key.size()) != key) return false;
  const std::string_view after = text.substr(key.size());
  const std::size_t colon = after.find_first_not_of(' ');
  return colon != std::string_view::npos && after[colon] == ':';
}

// Where a price list file names `key` at the start of a line below `prices:` (a service's
// price), or `prices:` itself for "prices": its line and column, 0 when no line is such.
Location key_location(const Load& load, const std::string& file, const std::string& key) {
  const auto& sources = load.loaded.sources;
  const auto source = std::find_if(sources.begin(), sources.end(), [&](const auto& f) { return f.path == file; });
  if (source == sources.end()) return {file, 0, 0};
  const std::string_view all = source->text;
  bool below_prices = false;
  std::size_t start = 0;
  for (int line = 1; start < all.size(); ++line) {
    const std::size_t end = std::min(all.find('\n', start), all.size());
    const std::string_view text = all.substr(start, end - start);
    const std::size_t indent = std::min(text.find_first_not_of(' '), text.size());
    const bool top = indent == 0 && starts_with_key(text, "prices");
    if ((key == "prices" && top) || (below_prices && indent > 0 && starts_with_key(text.substr(indent), key))) {
      return {file, line, static_cast<int>(indent) + 1};
    }
    if (indent == 0 && !text.empty() && text[0] != '#') below_prices = top;
    start = end + 1;
  }
  return {file, 0, 0};
}

// The stored list prices the folder changes or drops: (year, service) -> the new price,
// nothing when the list or the service is gone.
std::map<store::ListPrice, std::optional<Decimal>> changed_list_prices(const Load& load) {
  std::map<store::ListPrice, std::optional<Decimal>> out;
  for (const auto& [key, price] : load.stored.list_prices) {
    const auto now = model::list_price(load.loaded.contracts.price_lists, key.first, key.second);
    if (now != price) out[key] = now;
  }
  return out;
}

// A list price that final invoices were billed at, changed or removed (the list or the
// service gone): each a finding naming the price, the invoices and the way out.
std::vector<Finding> price_refusals(soci::session& session, const Load& load) {
  const auto changed = changed_list_prices(load);
  std::vector<store::ListPrice> keys;
  keys.reserve(changed.size());
  for (const auto& entry : changed) keys.push_back(entry.first);
  std::vector<Finding> out;
  for (const auto& [key, invoices] : store::final_invoices_at_list_prices(session, keys)) {
    const auto& [year, service] = key;
    const std::string old_price = price_text(load.stored.list_prices.at(key));
    const std::string billed = fmt::format("price list {}: {} {} was billed on final invoice(s) {}", year, service,
                                           old_price, invoice_numbers(invoices));
    const model::PriceList* list = load.loaded.contracts.price_list(year);
    if (list == nullptr) {
      const auto file = load.stored.list_files.find(year);
      out.push_back({{file != load.stored.list_files.end() ? file->second : "prices", 0, 0},
                     billed + fmt::format(" and price list {} cannot be removed", year)});
    } else if (const auto& now = changed.at(key)) {
      out.push_back({key_location(load, list->source_file, service),
                     billed + fmt::format(" and cannot change to {}; a new price applies through an agreement "
                                          "`price` exception or next year's list",
                                          price_text(*now))});
    } else {
      out.push_back({key_location(load, list->source_file, "prices"), billed + " and cannot be removed from the list"});
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
  auto refused = refusals(session, load);
  for (auto& finding : price_refusals(session, load)) refused.push_back(std::move(finding));
  if (!refused.empty()) throw InputError(refused);  // the job rolls back
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
  // The business calendar comes with the contracts: finalize and credit read it for issue
  // and due dates (cheap when it is in place: nothing is written).
  (void)store::ensure_calendar(*session, store::kCalendarBaseYear, store::kCalendarLastYear);
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
