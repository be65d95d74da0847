#include "store/contracts.hpp"

#include <fmt/format.h>

#include <string>

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

// The e-invoice address as details hold it: {"scheme", "id"} and "operator" when given.
std::string einvoice_json(const model::EInvoiceAddress& e) {
  return fmt::format(R"({{"scheme":{},"id":{}{}}})", db::json_string(e.scheme), db::json_string(e.id),
                     e.operator_id.empty() ? std::string() : ",\"operator\":" + db::json_string(e.operator_id));
}

void store_provider(soci::session& session, const model::Provider& provider) {
  const std::string details =
      fmt::format(R"({{"address":{},"einvoice":{},"payment":{}}})", address_json(provider.address),
                  einvoice_json(provider.einvoice),
                  provider.payment ? fmt::format(R"({{"iban":{},"bic":{}}})", db::json_string(provider.payment->iban),
                                                 db::json_string(provider.payment->bic))
                                   : std::string("null"));
  db::exec(session, "DELETE FROM provider WHERE id <> $1", {provider.id});
  db::exec(session,
           "INSERT INTO provider (id, name, business_id, vat_id, details) VALUES ($1, $2, $3, NULLIF($4, ''), "
           "CAST($5 AS jsonb)) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, business_id = "
           "EXCLUDED.business_id, vat_id = EXCLUDED.vat_id, details = EXCLUDED.details "
           "WHERE (provider.name, provider.business_id, provider.vat_id, provider.details) IS DISTINCT FROM "
           "(EXCLUDED.name, EXCLUDED.business_id, EXCLUDED.vat_id, EXCLUDED.details)",
           {provider.id, provider.name, provider.business_id, provider.vat_id, details});
}

void store_service(soci::session& session, const model::Service& service, int position) {
  const std::string rate = service.vat.rate ? service.vat.rate->to_string(2) : "";
  std::string names = "[";
  for (const auto& [language, name] : service.name) {
    if (names.size() > 1) names += ",";
    names += fmt::format(R"({{"language":{},"name":{}}})", db::json_string(language), db::json_string(name));
  }
  names += "]";
  db::exec(session,
           "INSERT INTO service (id, position, name, unit, area, vat_category, vat_rate, names, exemption_reason) "
           "VALUES ($1, $2::int, $3, $4, $5, $6, CAST(NULLIF($7, '') AS numeric), CAST($8 AS jsonb), $9) "
           "ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, "
           "name = EXCLUDED.name, unit = EXCLUDED.unit, area = EXCLUDED.area, vat_category = "
           "EXCLUDED.vat_category, vat_rate = EXCLUDED.vat_rate, names = EXCLUDED.names, exemption_reason = "
           "EXCLUDED.exemption_reason WHERE (service.position, service.name, service.unit, service.area, "
           "service.vat_category, service.vat_rate, service.names, service.exemption_reason) IS DISTINCT FROM "
           "(EXCLUDED.position, EXCLUDED.name, EXCLUDED.unit, EXCLUDED.area, EXCLUDED.vat_category, "
           "EXCLUDED.vat_rate, EXCLUDED.names, EXCLUDED.exemption_reason)",
           {service.id, std::to_string(position), service.name_in("fi"), service.unit, area_name(service.area),
            model::vat_code(service.vat.category), rate, names, service.vat.exemption_reason});
}

void store_agency(soci::session& session, const model::Agency& agency) {
  std::string contacts = "[";
  for (const auto& c : agency.contacts) {
    if (contacts.size() > 1) contacts += ",";
    contacts += fmt::format(R"({{"role":{},"name":{},"email":{}}})", db::json_string(c.role), db::json_string(c.name),
                            db::json_string(c.email));
  }
  contacts += "]";
  const std::string details = fmt::format(R"({{"address":{},"einvoice":{},"contacts":{}}})",
                                          address_json(agency.address), einvoice_json(agency.einvoice), contacts);
  db::exec(
      session,
      "INSERT INTO agency (id, name, business_id, branch, account_manager, details, language) VALUES ($1, $2, "
      "$3, $4, NULLIF($5, ''), CAST($6 AS jsonb), $7) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
      "business_id = EXCLUDED.business_id, branch = EXCLUDED.branch, account_manager = "
      "EXCLUDED.account_manager, details = EXCLUDED.details, language = EXCLUDED.language "
      "WHERE (agency.name, agency.business_id, agency.branch, agency.account_manager, agency.details, "
      "agency.language) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.business_id, EXCLUDED.branch, "
      "EXCLUDED.account_manager, EXCLUDED.details, EXCLUDED.language)",
      {agency.id, agency.name, agency.business_id, agency.branch, agency.account_manager, details, agency.language});
}

}  // namespace

StoredContracts read_stored_contracts(soci::session& session) {
  StoredContracts out;
  const auto files = db::query(session, "SELECT path, content_hash FROM contract_file");
  for (std::size_t r = 0; r < files.size(); ++r) out.file_hashes[files.text(r, 0)] = files.text(r, 1);
  const auto versions =
      db::query(session, "SELECT agreement_id, version, content_hash, source_file FROM agreement_version");
  for (std::size_t r = 0; r < versions.size(); ++r) {
    out.versions[{versions.text(r, 0), std::stoi(versions.text(r, 1))}] = {versions.text(r, 2), versions.text(r, 3)};
  }
  const auto lists = db::query(session, "SELECT year, source_file FROM price_list");
  for (std::size_t r = 0; r < lists.size(); ++r) out.list_files[std::stoi(lists.text(r, 0))] = lists.text(r, 1);
  const auto items = db::query(session, "SELECT year, service, CAST(unit_price AS text) FROM price_list_item");
  for (std::size_t r = 0; r < items.size(); ++r) {
    out.list_prices[{std::stoi(items.text(r, 0)), items.text(r, 1)}] = Decimal::parse(items.text(r, 2));
  }
  return out;
}

void upsert_contract_file(soci::session& session, const contracts::SourceFile& file, const std::string& hash) {
  db::exec(session,
           "INSERT INTO contract_file (path, kind, content_hash, source_text) VALUES ($1, $2, $3, $4) "
           "ON CONFLICT (path) DO UPDATE SET kind = EXCLUDED.kind, content_hash = EXCLUDED.content_hash, "
           "source_text = EXCLUDED.source_text, loaded_at = now()",
           {file.path, kind_name(file.kind), hash, file.text});
}

void delete_contract_file(soci::session& session, const std::string& path) {
  db::exec(session, "DELETE FROM contract_file WHERE path = $1", {path});
}

void store_reference_data(soci::session& session, const model::ContractSet& set) {
  store_provider(session, set.catalog.provider);
  int position = 0;
  for (const auto& service : set.catalog.services) store_service(session, service, ++position);
  for (const auto& agency : set.agencies) store_agency(session, agency);
}

void store_price_list(soci::session& session, const model::PriceList& list, const std::string& hash) {
  const std::string year = std::to_string(list.year);
  db::exec(session,
           "INSERT INTO price_list (year, basis, source_file, content_hash) VALUES ($1::int, $2, $3, $4) "
           "ON CONFLICT (year) DO UPDATE SET basis = EXCLUDED.basis, source_file = EXCLUDED.source_file, "
           "content_hash = EXCLUDED.content_hash, loaded_at = now() "
           "WHERE price_list.content_hash <> EXCLUDED.content_hash OR price_list.source_file <> EXCLUDED.source_file",
           {year, list.basis, list.source_file, hash});
  db::exec(session, "DELETE FROM price_list_item WHERE year = $1::int", {year});
  for (const auto& [service, price] : list.prices) {
    db::exec(session,
             "INSERT INTO price_list_item (year, service, unit_price) VALUES ($1::int, $2, CAST($3 AS numeric))",
             {year, service, price.to_string(4)});
  }
}

void delete_price_lists_except(soci::session& session, const std::set<int>& years) {
  std::vector<std::string> kept;
  kept.reserve(years.size());
  for (const int year : years) kept.push_back(std::to_string(year));
  db::exec(session, "DELETE FROM price_list WHERE year <> ALL($1::int[])", {db::text_array(kept)});
}

void upsert_agreement_version(soci::session& session, const model::Agreement& agreement, const std::string& text) {
  db::exec(session,
           "INSERT INTO agreement_version (agreement_id, version, client, valid_from, valid_to, signed_on, "
           "buyer_reference, payment_terms_days, source_file, content_hash, source_text) VALUES ($1, $2::int, $3, "
           "CAST($4 AS date), CAST($5 AS date), CAST(NULLIF($6, '') AS date), $7, $8::int, $9, $10, $11) "
           "ON CONFLICT (agreement_id, version) DO UPDATE SET client = EXCLUDED.client, valid_from = "
           "EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, signed_on = EXCLUDED.signed_on, buyer_reference = "
           "EXCLUDED.buyer_reference, payment_terms_days = EXCLUDED.payment_terms_days, source_file = "
           "EXCLUDED.source_file, content_hash = EXCLUDED.content_hash, source_text = EXCLUDED.source_text, "
           "loaded_at = now()",
           {agreement.id, std::to_string(agreement.version), agreement.client, format_date(agreement.valid.from),
            format_date(agreement.valid.to), agreement.signed_on ? format_date(*agreement.signed_on) : "",
            agreement.billing.buyer_reference, std::to_string(agreement.billing.payment_terms_days),
            agreement.source_file, agreement.content_hash, text});
}

void delete_agreement_version(soci::session& session, const std::string& agreement_id, int version) {
  db::exec(session, "DELETE FROM agreement_version WHERE agreement_id = $1 AND version = $2::int",
           {agreement_id, std::to_string(version)});
}

model::ContractSet load_stored_contracts(soci::session& session) {
  std::vector<contracts::SourceFile> files;
  const auto rows = db::query(session, "SELECT path, kind, source_text FROM contract_file ORDER BY path");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    files.push_back({kind_of(rows.text(r, 1)), rows.text(r, 0), rows.text(r, 2)});
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

std::vector<std::string> agency_ids(soci::session& session) {
  const auto rows = db::query(session, "SELECT id FROM agency ORDER BY id");
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) ids.push_back(rows.text(i, 0));
  return ids;
}

}  // namespace costcover::store
