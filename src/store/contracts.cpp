#include "store/contracts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "core/sha256.hpp"
#include "db/job.hpp"
#include "db/query.hpp"

namespace costcover::store {
namespace {

using contracts::FileKind;

std::string kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::catalog:
      return "catalog";
    case FileKind::agencies:
      return "agencies";
    case FileKind::price_list:
      return "price_list";
    case FileKind::agreement:
      return "agreement";
    case FileKind::cost_model:
      return "cost_model";
  }
  return "agreement";
}

FileKind kind_of(const std::string& name) {
  if (name == "catalog") return FileKind::catalog;
  if (name == "agencies") return FileKind::agencies;
  if (name == "price_list") return FileKind::price_list;
  if (name == "cost_model") return FileKind::cost_model;
  return FileKind::agreement;
}

std::string area_name(model::Area area) {
  switch (area) {
    case model::Area::finance:
      return "finance";
    case model::Area::hr:
      return "hr";
    case model::Area::other:
      return "other";
  }
  return "other";
}

std::string address_json(const model::Address& a) {
  return fmt::format(R"({{"street":{},"postcode":{},"city":{},"country":{}}})", db::json_string(a.street),
                     db::json_string(a.postcode), db::json_string(a.city), db::json_string(a.country));
}

bool table_exists(soci::session& session, const std::string& name) {
  soci::indicator ind = soci::i_null;
  std::string found;
  session << "SELECT CAST(to_regclass(:n) AS text)", soci::use(name), soci::into(found, ind);
  return ind == soci::i_ok;
}

// The final invoice that used an agreement version, if any.
std::string final_invoice_using(soci::session& session, const std::string& agreement_id, int version) {
  if (!table_exists(session, "invoice_line")) return "";
  soci::indicator ind = soci::i_null;
  std::string number;
  session << "SELECT i.number FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id "
             "WHERE i.status = 'final' AND l.agreement_id = :a AND l.agreement_version = :v "
             "ORDER BY i.number LIMIT 1",
      soci::use(agreement_id), soci::use(version), soci::into(number, ind);
  return ind == soci::i_ok ? number : "";
}

void store_reference_data(soci::session& session, const model::ContractSet& set) {
  const auto& provider = set.catalog.provider;
  const std::string provider_details =
      fmt::format(R"({{"address":{},"einvoice":{{"scheme":{},"id":{}}},"payment":{}}})", address_json(provider.address),
                  db::json_string(provider.einvoice.scheme), db::json_string(provider.einvoice.id),
                  provider.payment ? fmt::format(R"({{"iban":{},"bic":{}}})", db::json_string(provider.payment->iban),
                                                 db::json_string(provider.payment->bic))
                                   : std::string("null"));
  session << "DELETE FROM provider WHERE id <> :id", soci::use(provider.id);
  session << "INSERT INTO provider (id, name, business_id, vat_id, details) VALUES (:id, :n, :b, NULLIF(:v, ''), "
             "CAST(:d AS jsonb)) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, business_id = "
             "EXCLUDED.business_id, vat_id = EXCLUDED.vat_id, details = EXCLUDED.details "
             "WHERE (provider.name, provider.business_id, provider.vat_id, provider.details) IS DISTINCT FROM "
             "(EXCLUDED.name, EXCLUDED.business_id, EXCLUDED.vat_id, EXCLUDED.details)",
      soci::use(provider.id), soci::use(provider.name), soci::use(provider.business_id), soci::use(provider.vat_id),
      soci::use(provider_details);

  int position = 0;
  for (const auto& service : set.catalog.services) {
    ++position;
    const std::string name = service.name_in("fi");
    const std::string area = area_name(service.area);
    const std::string vat = model::vat_code(service.vat.category);
    const std::string rate = service.vat.rate ? service.vat.rate->to_string(2) : "";
    session << "INSERT INTO service (id, position, name, unit, area, vat_category, vat_rate) VALUES (:id, :p, :n, :u, "
               ":a, :c, CAST(NULLIF(:r, '') AS numeric)) ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, "
               "name = EXCLUDED.name, unit = EXCLUDED.unit, area = EXCLUDED.area, vat_category = "
               "EXCLUDED.vat_category, vat_rate = EXCLUDED.vat_rate WHERE (service.position, service.name, "
               "service.unit, service.area, service.vat_category, service.vat_rate) IS DISTINCT FROM "
               "(EXCLUDED.position, EXCLUDED.name, EXCLUDED.unit, EXCLUDED.area, EXCLUDED.vat_category, "
               "EXCLUDED.vat_rate)",
        soci::use(service.id), soci::use(position), soci::use(name), soci::use(service.unit), soci::use(area),
        soci::use(vat), soci::use(rate);
  }

  for (const auto& agency : set.agencies) {
    std::string contacts = "[";
    for (const auto& c : agency.contacts) {
      if (contacts.size() > 1) contacts += ",";
      contacts += fmt::format(R"({{"role":{},"name":{},"email":{}}})", db::json_string(c.role), db::json_string(c.name),
                              db::json_string(c.email));
    }
    contacts += "]";
    const std::string details = fmt::format(R"({{"address":{},"einvoice":{{"scheme":{},"id":{}}},"contacts":{}}})",
                                            address_json(agency.address), db::json_string(agency.einvoice.scheme),
                                            db::json_string(agency.einvoice.id), contacts);
    session << "INSERT INTO agency (id, name, business_id, branch, account_manager, details) VALUES (:id, :n, :b, :br, "
               "NULLIF(:m, ''), CAST(:d AS jsonb)) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, business_id = "
               "EXCLUDED.business_id, branch = EXCLUDED.branch, account_manager = EXCLUDED.account_manager, details = "
               "EXCLUDED.details WHERE (agency.name, agency.business_id, agency.branch, agency.account_manager, "
               "agency.details) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.business_id, EXCLUDED.branch, "
               "EXCLUDED.account_manager, EXCLUDED.details)",
        soci::use(agency.id), soci::use(agency.name), soci::use(agency.business_id), soci::use(agency.branch),
        soci::use(agency.account_manager), soci::use(details);
  }
}

void store_price_list(soci::session& session, const model::PriceList& list, const std::string& hash) {
  session << "INSERT INTO price_list (year, basis, source_file, content_hash) VALUES (:y, :b, :f, :h) "
             "ON CONFLICT (year) DO UPDATE SET basis = EXCLUDED.basis, source_file = EXCLUDED.source_file, "
             "content_hash = EXCLUDED.content_hash, loaded_at = now() "
             "WHERE price_list.content_hash <> EXCLUDED.content_hash OR price_list.source_file <> EXCLUDED.source_file",
      soci::use(list.year), soci::use(list.basis), soci::use(list.source_file), soci::use(hash);
  session << "DELETE FROM price_list_item WHERE year = :y", soci::use(list.year);
  for (const auto& [service, price] : list.prices) {
    const std::string text = price.to_string(4);
    session << "INSERT INTO price_list_item (year, service, unit_price) VALUES (:y, :s, CAST(:p AS numeric))",
        soci::use(list.year), soci::use(service), soci::use(text);
  }
}

}  // namespace

std::vector<contracts::SourceFile> read_contract_files(const std::string& dir) {
  auto result = contracts::load_directory(dir);
  return result.sources;
}

StoreResult store_contracts(soci::session& session, const std::vector<contracts::SourceFile>& files,
                            const model::ContractSet& set) {
  StoreResult result;
  result.files = static_cast<int>(files.size());

  std::map<std::string, std::string> stored;  // path -> hash
  {
    soci::rowset<soci::row> rows = (session.prepare << "SELECT path, content_hash FROM contract_file");
    for (const auto& row : rows) stored[row.get<std::string>(0)] = row.get<std::string>(1);
  }
  std::map<std::string, std::string> hashes;
  for (const auto& file : files) hashes[file.path] = sha256_hex(file.text);

  // Agreement versions as stored, to refuse changes to versions a final invoice used.
  struct StoredVersion {
    std::string hash;
    std::string file;
  };
  std::map<std::pair<std::string, int>, StoredVersion> versions;
  {
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT agreement_id, version, content_hash, source_file FROM agreement_version");
    for (const auto& row : rows) {
      versions[{row.get<std::string>(0), row.get<int>(1)}] = {row.get<std::string>(2), row.get<std::string>(3)};
    }
  }
  std::vector<Finding> refusals;
  std::set<std::pair<std::string, int>> present;
  for (const auto& agreement : set.agreements) {
    const auto key = std::make_pair(agreement.id, agreement.version);
    present.insert(key);
    const auto found = versions.find(key);
    if (found == versions.end() || found->second.hash == agreement.content_hash) continue;
    const auto invoice = final_invoice_using(session, agreement.id, agreement.version);
    if (!invoice.empty()) {
      refusals.push_back({{agreement.source_file, 0, 0},
                          fmt::format("agreement {} version {} was used by final invoice {} and cannot change; "
                                      "add a new version instead",
                                      agreement.id, agreement.version, invoice)});
    }
  }
  for (const auto& [key, version] : versions) {
    if (present.count(key) != 0) continue;
    const auto invoice = final_invoice_using(session, key.first, key.second);
    if (!invoice.empty()) {
      refusals.push_back({{version.file, 0, 0},
                          fmt::format("agreement {} version {} was used by final invoice {} and cannot be removed",
                                      key.first, key.second, invoice)});
    }
  }
  if (!refusals.empty()) throw InputError(refusals);  // the transaction rolls back

  for (const auto& file : files) {
    const auto& hash = hashes[file.path];
    const auto old = stored.find(file.path);
    if (old != stored.end() && old->second == hash) {
      ++result.unchanged;
      continue;
    }
    old == stored.end() ? ++result.added : ++result.changed;
    const std::string kind = kind_name(file.kind);
    session << "INSERT INTO contract_file (path, kind, content_hash, source_text) VALUES (:p, :k, :h, :t) "
               "ON CONFLICT (path) DO UPDATE SET kind = EXCLUDED.kind, content_hash = EXCLUDED.content_hash, "
               "source_text = EXCLUDED.source_text, loaded_at = now()",
        soci::use(file.path), soci::use(kind), soci::use(hash), soci::use(file.text);
  }
  for (const auto& [path, hash] : stored) {
    if (hashes.count(path) == 0) {
      session << "DELETE FROM contract_file WHERE path = :p", soci::use(path);
      ++result.changed;
    }
  }

  store_reference_data(session, set);
  std::set<int> years;
  for (const auto& list : set.price_lists) {
    years.insert(list.year);
    store_price_list(session, list, hashes[list.source_file]);
  }
  {
    std::vector<int> stale;
    soci::rowset<int> rows = (session.prepare << "SELECT year FROM price_list");
    for (int year : rows) {
      if (years.count(year) == 0) stale.push_back(year);
    }
    for (int year : stale) session << "DELETE FROM price_list WHERE year = :y", soci::use(year);
  }
  for (const auto& agreement : set.agreements) {
    const auto key = std::make_pair(agreement.id, agreement.version);
    const auto found = versions.find(key);
    if (found != versions.end() && found->second.hash == agreement.content_hash &&
        found->second.file == agreement.source_file) {
      continue;
    }
    const auto text_it =
        std::find_if(files.begin(), files.end(), [&](const auto& f) { return f.path == agreement.source_file; });
    const std::string text = text_it != files.end() ? text_it->text : "";
    const std::string from = format_date(agreement.valid.from);
    const std::string to = format_date(agreement.valid.to);
    const std::string signed_on = agreement.signed_on ? format_date(*agreement.signed_on) : "";
    // An upsert, not delete + insert: draft invoice lines may reference the version.
    session << "INSERT INTO agreement_version (agreement_id, version, client, valid_from, valid_to, signed_on, "
               "buyer_reference, payment_terms_days, source_file, content_hash, source_text) VALUES (:a, :v, :c, "
               "CAST(:f AS date), CAST(:t AS date), CAST(NULLIF(:s, '') AS date), :b, :p, :file, :h, :text) "
               "ON CONFLICT (agreement_id, version) DO UPDATE SET client = EXCLUDED.client, valid_from = "
               "EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, signed_on = EXCLUDED.signed_on, buyer_reference = "
               "EXCLUDED.buyer_reference, payment_terms_days = EXCLUDED.payment_terms_days, source_file = "
               "EXCLUDED.source_file, content_hash = EXCLUDED.content_hash, source_text = EXCLUDED.source_text, "
               "loaded_at = now()",
        soci::use(agreement.id), soci::use(agreement.version), soci::use(agreement.client), soci::use(from),
        soci::use(to), soci::use(signed_on), soci::use(agreement.billing.buyer_reference),
        soci::use(agreement.billing.payment_terms_days), soci::use(agreement.source_file),
        soci::use(agreement.content_hash), soci::use(text);
  }
  for (const auto& [key, version] : versions) {
    if (present.count(key) == 0) {
      // Drafts made with a version that is gone are stale (finals were refused above):
      // they go with it, and the command says which periods to bill again.
      soci::rowset<soci::row> gone =
          (session.prepare
               << "WITH gone AS (DELETE FROM invoice i WHERE i.status = 'draft' AND ((i.agreement_id = :a1 AND "
                  "i.agreement_version = :v1) OR EXISTS (SELECT 1 FROM invoice_line l WHERE l.invoice_id = i.id "
                  "AND l.agreement_id = :a2 AND l.agreement_version = :v2)) RETURNING i.agency, i.period) "
                  "SELECT agency, period FROM gone ORDER BY period, agency",
           soci::use(key.first), soci::use(key.second), soci::use(key.first), soci::use(key.second));
      for (const auto& row : gone)
        result.removed_drafts.push_back(row.get<std::string>(0) + " " + row.get<std::string>(1));
      session << "DELETE FROM agreement_version WHERE agreement_id = :a AND version = :v", soci::use(key.first),
          soci::use(key.second);
      result.removed_versions.push_back(key.first + " version " + std::to_string(key.second));
    }
  }
  result.agreement_versions = static_cast<int>(set.agreements.size());
  return result;
}

model::ContractSet load_stored_contracts(soci::session& session) {
  std::vector<contracts::SourceFile> files;
  soci::rowset<soci::row> rows = (session.prepare << "SELECT path, kind, source_text FROM contract_file ORDER BY path");
  for (const auto& row : rows) {
    files.push_back({kind_of(row.get<std::string>(1)), row.get<std::string>(0), row.get<std::string>(2)});
  }
  if (files.empty()) throw InputError("no contracts in the database; run `costcover contracts load` first");
  auto result = contracts::load_sources(files);
  if (!result.ok()) {
    result.findings.insert(result.findings.begin(),
                           Finding{{"contract_file", 0, 0}, "the contracts stored in the database do not validate"});
    throw InputError(result.findings);
  }
  return std::move(result.contracts);
}

std::string contract_file_hash(soci::session& session, const std::string& path) {
  const auto rows = db::query(session, "SELECT content_hash FROM contract_file WHERE path = $1", {path});
  return rows.empty() ? std::string() : rows.text(0, 0);
}

}  // namespace costcover::store
