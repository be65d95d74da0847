// libFuzzer target for the contracts loader: arbitrary bytes as an agreement, a catalog,
// an agencies file, a price list or a cost model. Whatever the bytes, loading must end in
// findings or success (never a crash, hang, leak or sanitizer report), a success must be
// a complete value, and every finding must print as one line of UTF-8 and name a
// registered rule (contracts/rules.hpp).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "contracts/loader.hpp"
#include "contracts/rules.hpp"
#include "core/utf8.hpp"

namespace {

using costcover::contracts::FileKind;
using costcover::contracts::LoadResult;
using costcover::contracts::SourceFile;
using costcover::model::ContractSet;

std::string contracts_dir() {
  if (const char* dir = std::getenv("COSTCOVER_CONTRACTS_DIR")) return dir;
  return std::string(COSTCOVER_SOURCE_DIR) + "/contracts";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Context {
  ContractSet samples;
  SourceFile catalog;
  SourceFile agencies;
};

const Context& context() {
  static const Context value = [] {
    Context out;
    const LoadResult loaded = costcover::contracts::load_directory(contracts_dir());
    if (!loaded.ok()) {
      for (const auto& finding : loaded.findings) std::cerr << finding.to_string() << '\n';
      std::cerr << "contracts_fuzz: the sample contracts must load cleanly\n";
      std::abort();
    }
    out.samples = loaded.contracts;
    out.catalog = SourceFile{FileKind::catalog, "catalog.yaml", read_file(contracts_dir() + "/catalog.yaml")};
    out.agencies = SourceFile{FileKind::agencies, "agencies.yaml", read_file(contracts_dir() + "/agencies.yaml")};
    return out;
  }();
  return value;
}

void check(const LoadResult& result) {
  if (result.ok()) return;
  for (const auto& finding : result.findings) {
    if (finding.message.empty() || finding.where.file.empty()) {
      std::cerr << "contracts_fuzz: a finding without message or file: " << finding.to_string() << '\n';
      std::abort();
    }
    if (finding.where.line < 0 || finding.where.column < 0) std::abort();
    if (!costcover::contracts::find_rule(finding.rule)) {
      std::cerr << "contracts_fuzz: a finding without a registered rule (\"" << finding.rule
                << "\"): " << finding.to_string() << '\n';
      std::abort();
    }
    const std::string line = finding.to_string();
    const bool one_line =
        std::none_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (!one_line || !costcover::is_valid_utf8(line)) {
      std::cerr << "contracts_fuzz: a finding that is not one line of UTF-8\n";
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Context& ctx = context();
  const std::string text(reinterpret_cast<const char*>(data), size);

  // The text goes to the parser its top-level key names (a file without one is tried as
  // an agreement), so that each seed drives its own parser and one run stays fast.
  if (text.find("price_list") != std::string::npos) {
    check(costcover::contracts::load_sources(
        {ctx.catalog, ctx.agencies, SourceFile{FileKind::price_list, "prices/2027.yaml", text}}));
  } else if (text.find("cost_model") != std::string::npos) {
    check(costcover::contracts::load_sources(
        {ctx.catalog, ctx.agencies, SourceFile{FileKind::cost_model, "costs/2026.yaml", text}}));
  } else if (text.find("agencies") != std::string::npos) {
    check(costcover::contracts::load_sources({ctx.catalog, SourceFile{FileKind::agencies, "agencies.yaml", text}}));
  } else if (text.find("provider") != std::string::npos) {
    check(costcover::contracts::load_sources({SourceFile{FileKind::catalog, "catalog.yaml", text}, ctx.agencies}));
  } else {
    const LoadResult agreement = costcover::contracts::load_agreement_text("fuzz.yaml", text, ctx.samples);
    check(agreement);
    if (agreement.ok() && agreement.contracts.agreements.size() != 1) std::abort();
  }
  return 0;
}
