#include "rule_cases.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "contract_files.hpp"

namespace costcover::contracts::testing {
namespace {

namespace fs = std::filesystem;
using Outcome = std::pair<LoadResult, std::string>;

// The sample set and one more file.
LoadResult load_with_extra(const SourceFile& extra) {
  auto files = values(read_tree(samples_dir(), "contracts"));
  files.push_back(extra);
  return load_sources(files);
}

// The sample folder changed by `change`, loaded from disk; `expected` is the finding
// after the folder's path.
Outcome in_folder(const std::function<void(const SampleFolder&)>& change, const std::string& expected) {
  const SampleFolder folder;
  change(folder);
  return {load_directory(folder.dir().string()), folder.dir().generic_string() + expected};
}

// A UNIX socket at path, which open() refuses (ENXIO).
void make_socket(const fs::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string name = path.string();
  if (name.size() >= sizeof(address.sun_path)) throw std::runtime_error("socket path too long: " + name);
  std::memcpy(address.sun_path, name.c_str(), name.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  ::close(fd);
  if (bound != 0) throw std::runtime_error("bind() failed for " + name);
}

std::vector<GeneratedCase> folder_cases() {
  return {
      {"not-a-directory", Rule::not_a_directory,
       [] {
         return Outcome{load_directory("/nonexistent/contracts"), "/nonexistent/contracts: is not a directory"};
       }},
      {"missing-agencies", Rule::missing_file,
       [] {
         return in_folder([](const SampleFolder& f) { fs::remove(f.dir() / "agencies.yaml"); },
                          "/agencies.yaml: file not found (a contracts folder needs it)");
       }},
      {"linked-agreement", Rule::symbolic_link,
       [] {
         return in_folder(
             [](const SampleFolder& f) { fs::create_symlink("ktl.yaml", f.dir() / "agreements" / "copy.yaml"); },
             "/agreements/copy.yaml: is a symbolic link; contracts are read from the files in the folder only (the "
             "link is not followed)");
       }},
      {"fifo-catalog", Rule::not_a_regular_file,
       [] {
         return in_folder(
             [](const SampleFolder& f) {
               fs::remove(f.dir() / "catalog.yaml");
               if (mkfifo((f.dir() / "catalog.yaml").c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
             },
             "/catalog.yaml: is not a regular file");
       }},
      {"socket-catalog", Rule::unreadable,
       [] {
         return in_folder(
             [](const SampleFolder& f) {
               fs::remove(f.dir() / "catalog.yaml");
               make_socket(f.dir() / "catalog.yaml");
             },
             "/catalog.yaml: file cannot be read");
       }},
      {"yml-agreement", Rule::yml_extension,
       [] {
         return in_folder(
             [](const SampleFolder& f) {
               std::ofstream(f.dir() / "agreements" / "new.yml") << sample("agreements/ktl.yaml");
             },
             "/agreements/new.yml: has the extension .yml; name it .yaml");
       }},
  };
}

std::vector<GeneratedCase> file_cases() {
  return {
      {"second-catalog", Rule::repeated_file,
       [] {
         return Outcome{load_with_extra({FileKind::catalog, "contracts/old/catalog.yaml", sample("catalog.yaml")}),
                        "contracts/old/catalog.yaml: a second catalog; there is one catalog.yaml"};
       }},
      {"second-price-list-of-a-year", Rule::repeated_year,
       [] {
         return Outcome{
             load_with_extra({FileKind::price_list, "contracts/old/2027.yaml", sample("prices/2027.yaml")}),
             "contracts/old/2027.yaml:4:3: price_list.year 2027 is repeated (also in contracts/prices/2027.yaml)"};
       }},
      {"file-above-one-mebibyte", Rule::file_too_large,
       [] {
         const std::string text = sample("agreements/stv.yaml") + "#" + std::string(kMaxFileBytes, '-') + "\n";
         return Outcome{load_with("agreements/stv.yaml", text),
                        "contracts/agreements/stv.yaml: the file is " + std::to_string(text.size()) +
                            " bytes, above the largest allowed 1048576 (1 MiB)"};
       }},
      {"latin1-byte", Rule::not_utf8,
       [] {
         return Outcome{
             load_with("agencies.yaml", replaced(sample("agencies.yaml"), "Työpajankatu", "Ty\xF6pajankatu")),
             "contracts/agencies.yaml:9:25: byte 0xF6 is not UTF-8; save the file as UTF-8"};
       }},
      {"control-character-in-a-comment", Rule::file_control_character,
       [] {
         return Outcome{
             load_with("agreements/stv.yaml",
                       replaced(sample("agreements/stv.yaml"), "agreement:\n", "agreement:\n# note: \x01\n")),
             "contracts/agreements/stv.yaml:3:9: the control character U+0001 is not allowed in a contracts file "
             "(only tab and line breaks are)"};
       }},
  };
}

}  // namespace

std::vector<GeneratedCase> generated_cases() {
  std::vector<GeneratedCase> out = folder_cases();
  for (auto& c : file_cases()) out.push_back(std::move(c));
  return out;
}

}  // namespace costcover::contracts::testing
