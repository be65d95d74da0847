// `costcover contracts load`: validate a contracts folder like `contracts check`, then
// store it in the database, in ONE job (db::run_job under the invoices lock: the load
// removes stale drafts, and billing must not read half a load).
//
// Invariants:
// - nothing is stored unless the whole folder validates (the findings are returned, and
//   the database is not even connected to);
// - loading the same files again changes nothing: a file is written only when its path or
//   hash is new, rows only when their values change;
// - an agreement version that a final invoice used never changes or goes: a load that
//   would change or remove one is refused whole (InputError naming the file, the version
//   and the invoice) and the database is left as it was;
// - a list price that final invoices were billed at (a line with price source "list YEAR"
//   for that service) never changes or goes: a load that would change it, or remove the
//   service from the list or the list itself, is refused whole the same way (InputError
//   naming the list, the service, the old and new price and the invoices); a list may gain
//   services, and prices nobody was billed at may change;
// - a version whose file is gone is removed with the drafts made with it, and the report
//   names them so that their periods can be billed again.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/errors.hpp"

namespace costcover::jobs {

struct ContractsLoadReport {
  std::vector<Finding> findings;  // the folder's findings; when any, nothing was stored
  int files_read = 0;             // by the validation
  int files = 0;
  int unchanged = 0;  // same path and hash as stored
  int changed = 0;    // replaced, or removed from the folder
  int added = 0;
  int agencies = 0;
  int services = 0;
  int price_lists = 0;
  int agreement_versions = 0;                 // stored in all
  std::vector<std::string> removed_versions;  // "ID version N" no longer in the folder
  std::vector<std::string> removed_drafts;    // "AGENCY YYYY-MM": drafts that used one of them
  [[nodiscard]] bool stored() const { return findings.empty(); }
};

// Opens the database connection, when the folder validated.
using Connect = std::function<std::unique_ptr<soci::session>()>;

// Validates dir; when clean, connects, migrates the schema (sql/) and stores the contracts.
[[nodiscard]] ContractsLoadReport run_contracts_load(const std::string& dir, const Connect& connect);

}  // namespace costcover::jobs
