// What a contracts file may hold as bytes, how findings show what they quote, and which
// files of a folder are read: the rules that a broken/ fixture cannot express, generated
// here. A file must be UTF-8 with no control characters but tab and line breaks (the
// database refuses the others when the file is stored) and at most 1 MiB; a text may hold
// tab and line feed only; whatever a finding quotes or names is escaped, so that it stays
// one line of valid UTF-8; a symbolic link in the folder is refused, never followed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "contract_files.hpp"
#include "contracts/loader.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts {
namespace {

using testing::all_findings;
using testing::load_with;
using testing::replaced;
using testing::sample;
using testing::samples;

// One finding line as printed: valid UTF-8 without control characters.
bool printable(const std::string& line) {
  return is_valid_utf8(line) &&
         std::none_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

namespace fs = std::filesystem;

using testing::SampleFolder;

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Issue 11, item 8: agencies.yaml saved as Latin-1 passed the check and `contracts load`
// then failed with a database error quoting the bytes.
TEST(FileBytes, ALatin1AgenciesFileIsAFindingAtTheByte) {
  const LoadResult result =
      load_with("agencies.yaml", replaced(sample("agencies.yaml"), "Työpajankatu", "Ty\xF6pajankatu"));
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].to_string(),
            "contracts/agencies.yaml:9:25: byte 0xF6 is not UTF-8; save the file as UTF-8");
}

struct Bytes {
  const char* bytes;  // written into a comment on line 2, from column 9
  const char* message;
};

TEST(FileBytes, EveryByteThatIsNotUtf8OrIsAControlCharacterIsRefused) {
  const Bytes cases[] = {
      {"\xC3", "byte 0xC3 is not UTF-8; save the file as UTF-8"},              // truncated
      {"\xC3(", "byte 0xC3 is not UTF-8; save the file as UTF-8"},             // no continuation
      {"\x80", "byte 0x80 is not UTF-8; save the file as UTF-8"},              // lone continuation
      {"\xC0\xAF", "byte 0xC0 is not UTF-8; save the file as UTF-8"},          // overlong '/'
      {"\xED\xA0\x80", "byte 0xED is not UTF-8; save the file as UTF-8"},      // surrogate U+D800
      {"\xF4\x90\x80\x80", "byte 0xF4 is not UTF-8; save the file as UTF-8"},  // above U+10FFFF
      {"\xFF", "byte 0xFF is not UTF-8; save the file as UTF-8"},
      {"\x01", "the control character U+0001 is not allowed in a contracts file (only tab and line breaks are)"},
      {"\x1B", "the control character U+001B is not allowed in a contracts file (only tab and line breaks are)"},
      {"\x7F", "the control character U+007F is not allowed in a contracts file (only tab and line breaks are)"},
      {"\xC2\x85", "the control character U+0085 is not allowed in a contracts file (only tab and line breaks are)"},
  };
  for (const auto& c : cases) {
    const std::string bad =
        replaced(sample("agreements/stv.yaml"), "agreement:\n", "agreement:\n# note: " + std::string(c.bytes) + "\n");
    const LoadResult result = load_agreement_text("x.yaml", bad, samples());
    ASSERT_EQ(result.findings.size(), 1U) << c.message << "\n" << all_findings(result);
    EXPECT_EQ(result.findings[0].to_string(), std::string("x.yaml:3:9: ") + c.message);
  }
  // NUL too, which a C string cannot hold.
  const std::string nul = replaced(sample("agreements/stv.yaml"), "STV-26", std::string("STV\0-26", 7));
  const LoadResult result = load_agreement_text("x.yaml", nul, samples());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].to_string(),
            "x.yaml:10:26: the control character U+0000 is not allowed in a contracts file (only tab and line breaks "
            "are)");
}

TEST(FileBytes, TabsLineBreaksAndUtf8AreFine) {
  std::string crlf;
  for (const char c : sample("agreements/ktl.yaml")) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  crlf += "# a tab:\there, and \xE2\x82\xAC, \xF0\x9F\x98\x80 and \xEF\xBB\xBF\r\n";
  const LoadResult result = load_with("agreements/ktl.yaml", crlf);
  EXPECT_TRUE(result.ok()) << all_findings(result);
}

struct EscapedText {
  const char* yaml;  // the handoff, as written in the file
  const char* message;
};

// An escape in a double-quoted scalar puts a control character into the value without one
// in the file.
TEST(TextValues, HoldNoControlCharactersButTabAndLineFeed) {
  const EscapedText cases[] = {
      {R"("a\0b")", R"(services[0].handoff "a\x00b" contains the control character U+0000)"},
      {R"("ring\a")", R"(services[0].handoff "ring\x07" contains the control character U+0007)"},
      {R"("\e[31mred")", R"(services[0].handoff "\x1B[31mred" contains the control character U+001B)"},
      {R"("a\rb")", R"(services[0].handoff "a\rb" contains the control character U+000D)"},
      {R"("del\x7F")", R"(services[0].handoff "del\x7F" contains the control character U+007F)"},
      {R"("next\x85line")", R"(services[0].handoff "next\u0085line" contains the control character U+0085)"},
      {R"("quote \" and \\ slash\u0001")",
       R"(services[0].handoff "quote \" and \\ slash\x01" contains the control character U+0001)"},
  };
  for (const auto& c : cases) {
    const std::string text =
        replaced(sample("agreements/stv.yaml"), "handoff: Invoice approved and posted to the ledger",
                 std::string("handoff: ") + c.yaml);
    const LoadResult result = load_agreement_text("x.yaml", text, samples());
    ASSERT_EQ(result.findings.size(), 1U) << c.yaml << "\n" << all_findings(result);
    EXPECT_EQ(result.findings[0].to_string(), std::string("x.yaml:14:5: ") + c.message);
    EXPECT_TRUE(printable(result.findings[0].to_string()));
  }
  const std::string fine = replaced(sample("agreements/stv.yaml"), "handoff: Invoice approved and posted to the ledger",
                                    R"(handoff: "Invoice approved\tand posted\nto the ledger")");
  const LoadResult result = load_agreement_text("x.yaml", fine, samples());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  EXPECT_EQ(result.contracts.agreements.at(0).services.at(0).handoff, "Invoice approved\tand posted\nto the ledger");
}

// A key is printed in the path of every finding about its value: a line feed in it must
// not start a line of its own, which could pass for a finding of another file.
TEST(TextValues, KeysAreEscapedInFindings) {
  const LoadResult prices =
      load_with("prices/2027.yaml", replaced(sample("prices/2027.yaml"), "  training: 185.00",
                                             R"(  "training\ncontracts/catalog.yaml:1:1": 185.00)"));
  ASSERT_EQ(prices.findings.size(), 1U) << all_findings(prices);
  EXPECT_EQ(
      prices.findings[0].to_string(),
      R"(contracts/prices/2027.yaml:15:3: prices.training\ncontracts/catalog.yaml:1:1 is not a service in the catalog)");

  const std::string unknown =
      replaced(sample("agreements/stv.yaml"), "  version: 1\n", "  version: 1\n  \"\\xE4\\x85\\e\": x\n");
  const LoadResult agreement = load_agreement_text("x.yaml", unknown, samples());
  ASSERT_EQ(agreement.findings.size(), 1U) << all_findings(agreement);
  EXPECT_EQ(agreement.findings[0].message,
            R"(agreement.ä\u0085\x1B is not a known key (expected id, version, client, valid, signed or billing))");
}

// yaml-cpp quotes the byte after a backslash in its message, which may be half a character.
TEST(TextValues, YamlErrorsAreEscaped) {
  const LoadResult result = load_agreement_text("x.yaml", "agreement: \"\\\xC3\xA4\"\n", samples());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_TRUE(printable(result.findings[0].to_string())) << result.findings[0].to_string();
  EXPECT_EQ(result.findings[0].to_string(), "x.yaml:1:15: YAML syntax error: unknown escape character: \\xC3");
}

// Lengths count characters, not bytes: 70 of them is the bound of a buyer reference
// however many bytes each takes.
TEST(TextValues, LengthsCountCharacters) {
  std::string seventy;
  for (int i = 0; i < 70; ++i) seventy += "\xC3\xA4";  // ä, two bytes
  const std::string fine = replaced(sample("agreements/stv.yaml"), "\"STV-26\"", "\"" + seventy + "\"");
  EXPECT_TRUE(load_agreement_text("x.yaml", fine, samples()).ok());
  const std::string long_one = replaced(sample("agreements/stv.yaml"), "\"STV-26\"", "\"" + seventy + "a\"");
  const LoadResult result = load_agreement_text("x.yaml", long_one, samples());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].message, "agreement.billing.buyer_reference \"" + seventy +
                                            "a\" is 71 characters long, above the largest allowed 70");
}

// A file of 1 MiB is read; one byte more and it is refused as a whole, unread.
TEST(FileSize, AFileAboveOneMebibyteIsRefused) {
  std::string text = sample("agreements/stv.yaml");
  text += "#" + std::string(kMaxFileBytes - text.size() - 2, '-') + "\n";
  ASSERT_EQ(text.size(), kMaxFileBytes);
  const LoadResult largest = load_agreement_text("x.yaml", text, samples());
  EXPECT_TRUE(largest.ok()) << all_findings(largest);
  text.insert(0, "\n");
  const LoadResult result = load_agreement_text("x.yaml", text, samples());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].to_string(),
            "x.yaml: the file is 1048577 bytes, above the largest allowed 1048576 (1 MiB)");
}

// Issue 11, item 8: a 50 MB buyer reference passed the check (bill then took 513 MB). The
// folder's reader stops at one byte above the bound, and the file is not among the sources.
TEST(FileSize, ALargeFileInTheFolderIsReportedUnread) {
  SampleFolder folder;
  const std::string text =
      replaced(sample("agreements/stv.yaml"), "\"STV-26\"", "\"" + std::string(2 << 20, 'R') + "\"");
  write(folder.dir() / "agreements" / "stv.yaml", text);
  const LoadResult result = load_directory(folder.dir().string());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].to_string(), folder.dir().generic_string() + "/agreements/stv.yaml: the file is " +
                                                std::to_string(text.size()) +
                                                " bytes, above the largest allowed 1048576 (1 MiB)");
  EXPECT_EQ(result.files_read, 18);
  for (const auto& source : result.sources) EXPECT_LE(source.text.size(), kMaxFileBytes) << source.path;
}

const std::string kLinked =
    ": is a symbolic link; contracts are read from the files in the folder only (the link is not followed)";

// Issue 11, item 8: the loader followed a link out of the folder and quoted the target
// (/etc/passwd). Every link is refused, wherever it leads, even inside the folder or
// nowhere; the finding names the link and never shows what it points at.
TEST(Links, EveryLinkIsAFindingNamingTheLinkNeverItsTarget) {
  SampleFolder folder;
  write(folder.outside() / "secret.yaml", "root:x:0:0:SECRET-CONTENT\n");
  const fs::path agreements = folder.dir() / "agreements";
  fs::create_symlink("/etc/passwd", agreements / "evil.yaml");
  fs::create_symlink("../../secret.yaml", agreements / "secret.yaml");
  fs::create_symlink("ktl.yaml", agreements / "copy.yaml");
  fs::create_symlink("nowhere.yaml", agreements / "dangling.yaml");
  fs::create_symlink("/etc/passwd", agreements / "README");  // not a contracts file: ignored
  const LoadResult result = load_directory(folder.dir().string());
  const std::string base = folder.dir().generic_string() + "/agreements/";
  std::vector<std::string> got;
  for (const auto& finding : result.findings) got.push_back(finding.to_string());
  EXPECT_EQ(got, (std::vector<std::string>{base + "copy.yaml" + kLinked, base + "dangling.yaml" + kLinked,
                                           base + "evil.yaml" + kLinked, base + "secret.yaml" + kLinked}));
  for (const auto& line : got) {
    EXPECT_EQ(line.find("root:"), std::string::npos) << line;
    EXPECT_EQ(line.find("SECRET"), std::string::npos) << line;
  }
  EXPECT_EQ(result.files_read, 19);
}

TEST(Links, ALinkedFolderOrRequiredFileIsRefused) {
  SampleFolder folder;
  fs::rename(folder.dir() / "costs", folder.outside() / "costs");
  fs::create_symlink(folder.outside() / "costs", folder.dir() / "costs");
  fs::rename(folder.dir() / "catalog.yaml", folder.outside() / "catalog.yaml");
  fs::create_symlink(folder.outside() / "catalog.yaml", folder.dir() / "catalog.yaml");
  const LoadResult result = load_directory(folder.dir().string());
  std::vector<std::string> got;
  for (const auto& finding : result.findings) got.push_back(finding.to_string());
  const std::string base = folder.dir().generic_string();
  EXPECT_EQ(got, (std::vector<std::string>{
                     base + "/catalog.yaml" + kLinked,
                     base + "/costs: is a symbolic link; contracts are read from the folders in the contracts folder "
                            "only (the link is not followed)",
                 }));
}

// The folder named on the command line may itself be a link: the user chose it.
TEST(Links, TheContractsFolderItselfMayBeALink) {
  SampleFolder folder;
  fs::create_symlink(folder.dir(), folder.outside() / "linked");
  const LoadResult result = load_directory((folder.outside() / "linked").string());
  EXPECT_TRUE(result.ok()) << all_findings(result);
  EXPECT_EQ(result.files_read, 19);
}

TEST(Links, AFifoIsNotReadAndDoesNotBlock) {
  SampleFolder folder;
  fs::remove(folder.dir() / "catalog.yaml");
  ASSERT_EQ(mkfifo((folder.dir() / "catalog.yaml").c_str(), 0600), 0);
  const LoadResult result = load_directory(folder.dir().string());
  ASSERT_EQ(result.findings.size(), 1U) << all_findings(result);
  EXPECT_EQ(result.findings[0].to_string(), folder.dir().generic_string() + "/catalog.yaml: is not a regular file");
}

// Issue 11, item 8: a line feed in a file name forged a finding line. Names are escaped
// where findings show them, and so where they are stored (SourceFile::path).
TEST(FileNames, ControlCharactersAndBytesThatAreNotUtf8AreEscaped) {
  SampleFolder folder;
  write(folder.dir() / "agreements" / "x.yaml:1:1: forged\nktl.yaml", "");
  write(folder.dir() / "agreements" / "tab\there\x1B.yaml", "");
  write(folder.dir() / "agreements" / "latin\xE4\\.yaml", "");
  const LoadResult result = load_directory(folder.dir().string());
  const std::string base = folder.dir().generic_string() + "/agreements/";
  std::vector<std::string> got;
  for (const auto& finding : result.findings) got.push_back(finding.to_string());
  EXPECT_EQ(got, (std::vector<std::string>{
                     base + R"(latin\xE4\\.yaml:1:1: the file is empty)",
                     base + R"(tab\there\x1B.yaml:1:1: the file is empty)",
                     base + R"(x.yaml:1:1: forged\nktl.yaml:1:1: the file is empty)",
                 }));
  for (const auto& line : got) EXPECT_TRUE(printable(line)) << line;
  for (const auto& source : result.sources) EXPECT_TRUE(printable(source.path)) << source.path;

  const LoadResult missing = load_directory("/nonexistent/con\ntracts");
  ASSERT_EQ(missing.findings.size(), 1U);
  EXPECT_EQ(missing.findings[0].to_string(), R"(/nonexistent/con\ntracts: is not a directory)");
}

}  // namespace
}  // namespace costcover::contracts
