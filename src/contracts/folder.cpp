// Reading the contracts folder (load_directory): find the files and read their bytes.
// Regular files only: a symbolic link inside the folder is a finding, never followed,
// wherever it points (so are prices/, agreements/ and costs/ as links); a FIFO does not
// block; a file above kMaxFileBytes is reported unread. Names are escaped as findings show
// them. The files read go to load_sources (loader.cpp) for validation.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <variant>

#include "contracts/loader.hpp"
#include "contracts/parsers.hpp"
#include "contracts/rules.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts {
namespace {

namespace fs = std::filesystem;
using detail::sort_findings;
using detail::too_large_message;

constexpr const char* kLinkedFile =
    "is a symbolic link; contracts are read from the files in the folder only (the link is not followed)";
constexpr const char* kLinkedFolder =
    "is a symbolic link; contracts are read from the folders in the contracts folder only (the link is not "
    "followed)";

struct FileProblem {
  Rule rule;
  std::string message;
};

[[nodiscard]] FileProblem unreadable() { return {Rule::unreadable, "file cannot be read"}; }

// A file of the contracts folder: its bytes, or what is wrong with it. A symbolic link is
// not followed (O_NOFOLLOW, so that no link made after the folder was listed is either),
// a FIFO does not block the reader (O_NONBLOCK), and no more than one byte above
// kMaxFileBytes is read.
std::variant<std::string, FileProblem> read_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return errno == ELOOP ? FileProblem{Rule::symbolic_link, kLinkedFile} : unreadable();
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat status {};
  if (::fstat(fd, &status) != 0) return unreadable();
  if (!S_ISREG(status.st_mode)) return FileProblem{Rule::not_a_regular_file, "is not a regular file"};
  if (static_cast<std::uintmax_t>(status.st_size) > kMaxFileBytes)
    return FileProblem{Rule::file_too_large, too_large_message(static_cast<std::uintmax_t>(status.st_size))};
  std::string bytes(kMaxFileBytes + 1, '\0');
  std::size_t used = 0;
  while (used < bytes.size()) {
    const ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return unreadable();
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  if (used > kMaxFileBytes) return FileProblem{Rule::file_too_large, too_large_message(used)};  // it grew meanwhile
  bytes.resize(used);
  return bytes;
}

// The files of one folder as they are found: read ones, and findings about the others.
class FolderReader {
 public:
  explicit FolderReader(fs::path root) : root_(std::move(root)) {}

  void read_required(const char* name, FileKind kind);
  void read_folder(const char* sub, FileKind kind);
  [[nodiscard]] std::vector<SourceFile>& files() { return files_; }
  [[nodiscard]] std::vector<Finding>& findings() { return findings_; }

 private:
  // A name as findings show it: a line feed in a file name must not start a line.
  [[nodiscard]] std::string display(const fs::path& relative) const {
    return escape_for_message((root_ / relative).lexically_normal().generic_string());
  }
  void problem(const fs::path& relative, Rule rule, std::string message) {
    findings_.push_back(make_finding(rule, {display(relative), 0, 0}, std::move(message)));
  }
  void read(const fs::path& relative, FileKind kind);
  // The .yaml files of a folder, by name; findings for links and .yml files.
  [[nodiscard]] std::vector<fs::path> list_folder(const fs::path& sub);

  fs::path root_;
  std::vector<SourceFile> files_;
  std::vector<Finding> findings_;
};

void FolderReader::read(const fs::path& relative, FileKind kind) {
  auto bytes = read_file(root_ / relative);
  if (auto* problem_found = std::get_if<FileProblem>(&bytes)) {
    problem(relative, problem_found->rule, problem_found->message);
    return;
  }
  files_.push_back(SourceFile{kind, display(relative), std::move(std::get<std::string>(bytes))});
}

void FolderReader::read_required(const char* name, FileKind kind) {
  std::error_code error;
  const auto status = fs::symlink_status(root_ / name, error);
  if (fs::is_symlink(status)) {
    problem(name, Rule::symbolic_link, kLinkedFile);
  } else if (fs::exists(status)) {
    read(name, kind);
  } else {
    problem(name, Rule::missing_file, "file not found (a contracts folder needs it)");
  }
}

std::vector<fs::path> FolderReader::list_folder(const fs::path& sub) {
  std::error_code error;
  std::vector<fs::path> names;
  for (const auto& entry : fs::directory_iterator(root_ / sub, error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    const std::string extension = entry.path().extension().string();
    if (extension != ".yaml" && extension != ".yml") continue;
    const auto entry_status = entry.symlink_status(error);
    if (fs::is_symlink(entry_status)) {
      problem(sub / name, Rule::symbolic_link, kLinkedFile);
      continue;
    }
    if (!fs::is_regular_file(entry_status)) continue;
    if (extension == ".yml") {
      problem(sub / name, Rule::yml_extension, "has the extension .yml; name it .yaml");
      continue;
    }
    names.push_back(sub / name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void FolderReader::read_folder(const char* sub, FileKind kind) {
  std::error_code error;
  const auto status = fs::symlink_status(root_ / sub, error);
  if (fs::is_symlink(status)) {
    problem(sub, Rule::symbolic_link, kLinkedFolder);
    return;
  }
  if (!fs::is_directory(status)) return;
  for (const auto& name : list_folder(sub)) read(name, kind);
}

}  // namespace

LoadResult load_directory(const std::string& dir) {
  const fs::path root(dir);
  std::error_code error;
  if (!fs::is_directory(root, error)) {
    LoadResult failed;
    failed.findings.push_back(
        make_finding(Rule::not_a_directory, {escape_for_message(dir), 0, 0}, "is not a directory"));
    return failed;
  }
  FolderReader reader(root);
  reader.read_required("catalog.yaml", FileKind::catalog);
  reader.read_required("agencies.yaml", FileKind::agencies);
  reader.read_folder("prices", FileKind::price_list);
  reader.read_folder("agreements", FileKind::agreement);
  reader.read_folder("costs", FileKind::cost_model);
  LoadResult result = load_sources(reader.files());
  result.findings.insert(result.findings.end(), reader.findings().begin(), reader.findings().end());
  sort_findings(result.findings);
  return result;
}

}  // namespace costcover::contracts
