// costcover contracts load [DIR]: validate, then store the contracts in the database
// (jobs/contracts_load.hpp); here only the arguments and the summary.
#include <iostream>
#include <set>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "jobs/contracts_load.hpp"

namespace costcover::cli {
namespace {

void print_findings(const std::string& dir, const jobs::ContractsLoadReport& report) {
  for (const auto& finding : report.findings) std::cerr << finding.to_string() << '\n';
  std::cerr << fmt::format("{}: {} file(s), {} error(s); nothing was loaded\n", dir, report.files_read,
                           report.findings.size());
}

void print_summary(const std::string& dir, const jobs::ContractsLoadReport& report) {
  std::cout << fmt::format(
      "{}: {} file(s): {} added, {} changed, {} unchanged; {} agencies, {} services, "
      "{} price list(s), {} agreement version(s)\n",
      dir, report.files, report.added, report.changed, report.unchanged, report.agencies, report.services,
      report.price_lists, report.agreement_versions);
  for (const auto& version : report.removed_versions) {
    std::cout << fmt::format("  removed agreement {}: its file is no longer in {}\n", version, dir);
  }
  if (report.removed_drafts.empty()) return;
  std::set<std::string> periods;
  for (const auto& draft : report.removed_drafts) periods.insert(draft.substr(draft.find(' ') + 1));
  std::string list;
  for (const auto& period : periods) list += (list.empty() ? "" : ", ") + period;
  std::cout << fmt::format(
      "  removed {} draft invoice(s) made with a removed version ({}); run `costcover bill "
      "--period` again for {}\n",
      report.removed_drafts.size(), fmt::join(report.removed_drafts, ", "), list);
}

int run_load(Context& context, Args& args) {
  const auto positionals = args.positionals(0, 1);
  const std::string dir = positionals.empty() ? "contracts" : positionals[0];
  const jobs::ContractsLoadReport report =
      jobs::run_contracts_load(dir, [&] { return db::connect(db::resolve_connection_string(context.db)); });
  if (!report.stored()) {
    print_findings(dir, report);
    return 1;
  }
  print_summary(dir, report);
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
                  "it are removed too, and the command names the periods to bill again.\n\n"
                  "A price list is frozen once a final invoice used it: a load that changes or removes the\n"
                  "price of a service and year that final invoices were billed at (price source \"list\n"
                  "YEAR\") is refused, naming the invoices, and nothing is stored. A list may still gain\n"
                  "services, and prices nobody was billed at may change. A new price applies through an\n"
                  "agreement `price` exception or next year's list (docs/operations.md).\n"
                  "The files and every key they take: see docs/formats.md.\n",
                  run_load);

}  // namespace
}  // namespace costcover::cli
