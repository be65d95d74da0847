// costcover contracts check [DIR]: validate the contracts folder without a database.
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "contracts/loader.hpp"

namespace costcover::cli {
namespace {

int run_check(Context& /*context*/, Args& args) {
  const auto positionals = args.positionals(0, 1);
  const std::string dir = positionals.empty() ? std::string("contracts") : positionals.front();
  const contracts::LoadResult result = contracts::load_directory(dir);
  for (const auto& finding : result.findings) std::cerr << finding.to_string() << '\n';
  const std::size_t errors = result.findings.size();
  const std::string shown = !dir.empty() && dir.back() == '/' ? dir : dir + "/";
  std::cout << shown << ": " << result.files_read << (result.files_read == 1 ? " file, " : " files, ") << errors
            << (errors == 1 ? " error" : " errors") << '\n';
  return errors == 0 ? 0 : 1;
}

COSTCOVER_COMMAND("contracts check", "validate the YAML contracts (no database needed)",
                  "Usage: costcover contracts check [DIR]\n"
                  "\n"
                  "Reads DIR/catalog.yaml, DIR/agencies.yaml, DIR/prices/*.yaml, DIR/agreements/*.yaml and\n"
                  "DIR/costs/*.yaml (DIR defaults to contracts), validates every file and the references\n"
                  "between them, and prints every problem as file:line:column: message on stderr, then a\n"
                  "summary line on stdout. Needs no database, so it can run as a pre-commit hook.\n"
                  "The files and every key they take: see docs/formats.md.\n"
                  "\n"
                  "Exit status: 0 no findings, 1 findings, 2 usage error.\n",
                  run_check);

}  // namespace
}  // namespace costcover::cli
