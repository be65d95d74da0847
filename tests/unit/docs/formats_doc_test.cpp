// docs/formats.md against the code: every CSV header the program writes or expects is one
// line of the page, exactly (a code block lists it), so a column added, renamed or moved
// in the code fails here until the page says so. The renderers are called with no rows,
// which gives their header line alone.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "costing/ledger.hpp"
#include "ingest/reject_file.hpp"
#include "ingest/row.hpp"
#include "render/costing_csv.hpp"
#include "render/invoice_csv.hpp"
#include "render/rejects.hpp"

namespace costcover {
namespace {

std::set<std::string> formats_lines() {
  const std::string path = std::string(COSTCOVER_SOURCE_DIR) + "/docs/formats.md";
  std::ifstream in(path);
  EXPECT_TRUE(in.is_open()) << "cannot read " << path;
  std::set<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.insert(line);
  return lines;
}

// The first line of a renderer's output, without its line feed.
std::string header_of(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

TEST(FormatsDoc, EveryHeaderTheCodeUsesIsALineOfFormatsMd) {
  const std::set<std::string> lines = formats_lines();
  const struct {
    const char* file;
    std::string header;
  } headers[] = {
      {"transaction CSV (ingest::kHeader)", std::string(ingest::kHeader)},
      {"FILE.csv.rejects.csv (ingest::kRejectFileHeader)", header_of(ingest::kRejectFileHeader)},
      {"cost ledger CSV (costing::kLedgerHeader)", std::string(costing::kLedgerHeader)},
      {"invoices.csv", header_of(render::invoices_csv({}))},
      {"invoice_headers.csv", header_of(render::invoice_headers_csv({}))},
      {"rejects list --format csv (render::kRejectsCsvHeader)", std::string(render::kRejectsCsvHeader)},
      {"allocation.csv", header_of(render::allocation_csv({}))},
      {"unit_costs.csv", header_of(render::unit_costs_csv({}))},
      {"matching.csv", header_of(render::matching_csv({}))},
      {"what_if.csv", header_of(render::price_what_if_csv({}))},
  };
  for (const auto& h : headers) {
    EXPECT_FALSE(h.header.empty()) << h.file;
    EXPECT_TRUE(lines.count(h.header) == 1)
        << h.file << ": header \"" << h.header << "\" is not a line of docs/formats.md";
  }
}

}  // namespace
}  // namespace costcover
