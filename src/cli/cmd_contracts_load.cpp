// costcover contracts load [DIR]: validate, then store the contracts in the database.
#include <iostream>
#include <set>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "contracts/loader.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "store/contracts.hpp"

namespace costcover::cli {
namespace {

int run_load(Context& context, Args& args) {
  const auto positionals = args.positionals(0, 1);
  const std::string dir = positionals.empty() ? "contracts" : positionals[0];
  auto loaded = contracts::load_directory(dir);
  if (!loaded.ok()) {
    for (const auto& finding : loaded.findings) std::cerr << finding.to_string() << '\n';
    std::cerr << fmt::format("{}: {} file(s), {} error(s); nothing was loaded\n", dir, loaded.files_read,
                             loaded.findings.size());
    return 1;
  }
  auto session = db::connect(db::resolve_connection_string(context.db));
  db::migrate(*session, db::project_dir() + "/sql");
  store::StoreResult stored;
  db::JobSpec spec("contracts load", db::kInvoicesLock, "{\"dir\":" + db::json_string(dir) + "}");
  db::run_job(*session, spec, [&](db::Job& run) {
    run.step("storing the contracts");
    stored = store::store_contracts(*session, loaded.sources, loaded.contracts);
    run.count("files", stored.files);
    run.count("added", stored.added);
    run.count("changed", stored.changed);
    run.count("unchanged", stored.unchanged);
    run.count("agreement_versions", stored.agreement_versions);
  });
  std::cout << fmt::format(
      "{}: {} file(s): {} added, {} changed, {} unchanged; {} agencies, {} services, "
      "{} price list(s), {} agreement version(s)\n",
      dir, stored.files, stored.added, stored.changed, stored.unchanged, loaded.contracts.agencies.size(),
      loaded.contracts.catalog.services.size(), loaded.contracts.price_lists.size(), stored.agreement_versions);
  for (const auto& version : stored.removed_versions) {
    std::cout << fmt::format("  removed agreement {}: its file is no longer in {}\n", version, dir);
  }
  if (!stored.removed_drafts.empty()) {
    std::set<std::string> periods;
    for (const auto& draft : stored.removed_drafts) periods.insert(draft.substr(draft.find(' ') + 1));
    std::string list;
    for (const auto& period : periods) list += (list.empty() ? "" : ", ") + period;
    std::cout << fmt::format(
        "  removed {} draft invoice(s) made with a removed version ({}); run `costcover bill "
        "--period` again for {}\n",
        stored.removed_drafts.size(), fmt::join(stored.removed_drafts, ", "), list);
  }
  return 0;
}

COSTCOVER_COMMAND("contracts load", "validate contracts/ and store it in the database (idempotent)",
                  "Usage: costcover contracts load [DIR]\n\n"
                  "Validates the contracts folder (default: contracts) like `contracts check`, then stores\n"
                  "the catalog, agencies, price lists, cost models and every agreement version in the\n"
                  "database in one transaction, each file with its SHA-256. Loading the same files again\n"
                  "changes nothing. A changed file for an agreement version that a final invoice used is\n"
                  "refused (add a new version instead) and nothing is stored. A version whose file is no\n"
                  "longer in DIR is removed (refused if a final invoice used it); draft invoices made with\n"
                  "it are removed too, and the command names the periods to bill again.\n",
                  run_load);

}  // namespace
}  // namespace costcover::cli
