// Reading the contracts folder: find the files (regular files only: links are refused,
// not followed), check each file's size and bytes, parse each YAML document, run the
// per-file parsers, then the checks across files (repeated agreement versions, one client
// per agreement id, a price for every day an agreement is in force). Every finding of the
// whole set is collected; the result is complete only when there are none.
#include "contracts/loader.hpp"
#include "core/utf8.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <sstream>
#include <variant>

#include <yaml-cpp/eventhandler.h>

#include "contracts/parsers.hpp"
#include "core/sha256.hpp"

namespace costcover::contracts {

namespace {

namespace fs = std::filesystem;
using detail::FileContext;
using detail::ParsedAgreement;

struct ParsedFile {
  const SourceFile* source = nullptr;
  YAML::Node root;
  bool parsed = false;  // the YAML itself was readable
};

// Scans one document's events: where it starts and its first alias (*name). Contracts may
// not use aliases: a value must be readable where it stands, and aliases would let a small
// file expand into a huge one.
class DocumentScan : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    note(mark);
    if (!alias) alias = mark;
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { note(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnMapEnd() override {}
  YAML::Mark start;
  std::optional<YAML::Mark> first_node;
  std::optional<YAML::Mark> alias;

 private:
  void note(const YAML::Mark& mark) {
    if (!first_node) first_node = mark;
  }
};

std::string too_large(std::uintmax_t bytes) {
  return "the file is " + std::to_string(bytes) + " bytes, above the largest allowed " + std::to_string(kMaxFileBytes) +
         " (1 MiB)";
}

constexpr const char* kLinkedFile =
    "is a symbolic link; contracts are read from the files in the folder only (the link is not followed)";
constexpr const char* kLinkedFolder =
    "is a symbolic link; contracts are read from the folders in the contracts folder only (the link is not "
    "followed)";

struct SourceText {
  std::string text;
};

// A file of the contracts folder: its bytes, or what is wrong with it. A symbolic link is
// not followed (O_NOFOLLOW, so that no link made after the folder was listed is either),
// a FIFO does not block the reader (O_NONBLOCK), and no more than one byte above
// kMaxFileBytes is read.
std::variant<SourceText, std::string> read_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return errno == ELOOP ? std::string(kLinkedFile) : std::string("file cannot be read");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat status {};
  if (::fstat(fd, &status) != 0) return std::string("file cannot be read");
  if (!S_ISREG(status.st_mode)) return std::string("is not a regular file");
  if (static_cast<std::uintmax_t>(status.st_size) > kMaxFileBytes)
    return too_large(static_cast<std::uintmax_t>(status.st_size));
  std::string bytes(kMaxFileBytes + 1, '\0');
  std::size_t used = 0;
  while (used < bytes.size()) {
    const ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::string("file cannot be read");
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  if (used > kMaxFileBytes) return too_large(used);  // it grew while being read
  bytes.resize(used);
  return SourceText{std::move(bytes)};
}

// Parses the YAML text; syntax errors become findings. One document per file.
// YAML::LoadAll is not used: yaml-cpp 0.7 loops forever in it on some malformed input
// (a stray ",", jbeder/yaml-cpp#1040), so the documents are counted with the event parser,
// which is asked for at most two.
ParsedFile parse_yaml(const SourceFile& source, std::vector<Finding>& findings) {
  ParsedFile out;
  out.source = &source;
  FileContext context(source.path, findings);
  if (source.text.size() > kMaxFileBytes) {
    context.error(Location{source.path, 0, 0}, too_large(source.text.size()));
    return out;
  }
  // The text must be UTF-8 without control characters before yaml-cpp sees it: yaml-cpp
  // passes other bytes through, and the database refuses them when the file is stored.
  if (const auto bad = detail::find_bad_text(source.text, "\t\n\r")) {
    const std::string_view before = std::string_view(source.text).substr(0, bad->offset);
    const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    const Location where{source.path, static_cast<int>(std::count(before.begin(), before.end(), '\n') + 1),
                         static_cast<int>(bad->offset - line_start + 1)};
    context.error(where, bad->utf8
                             ? bad->to_string() + " is not allowed in a contracts file (only tab and line breaks are)"
                             : bad->to_string() + " is not UTF-8; save the file as UTF-8");
    return out;
  }
  try {
    const YAML::Node root = YAML::Load(source.text);
    std::istringstream stream(source.text);
    YAML::Parser parser(stream);
    DocumentScan first;
    parser.HandleNextDocument(first);
    if (root.IsNull() && !first.first_node) {
      context.error(Location{source.path, 1, 1}, "the file is empty");
      return out;
    }
    if (first.alias) {
      context.error(*first.alias, "aliases (*name) are not allowed in contracts; write the value out");
      return out;
    }
    DocumentScan second;
    if (parser.HandleNextDocument(second)) {
      context.error(second.first_node.value_or(second.start),
                    "a second YAML document or stray text starts here; put one document in a file");
      return out;
    }
    out.root = root;
    out.parsed = true;
  } catch (const YAML::Exception& error) {
    // The message may quote a byte of the text ("unknown escape character: ...").
    context.error(error.mark, "YAML syntax error: " + escape_for_message(error.msg));
  } catch (const std::exception& error) {
    context.error(Location{source.path, 0, 0}, "YAML could not be read: " + escape_for_message(error.what()));
  }
  return out;
}

std::string range_text(const DateRange& range) { return format_date(range.from) + ".." + format_date(range.to); }

// ranges minus cut.
std::vector<DateRange> subtract(const std::vector<DateRange>& ranges, const DateRange& cut) {
  std::vector<DateRange> out;
  for (const auto& range : ranges) {
    if (!range.intersect(cut)) {
      out.push_back(range);
      continue;
    }
    if (cut.from > range.from) out.push_back({range.from, cut.from - boost::gregorian::days(1)});
    if (cut.to < range.to) out.push_back({cut.to + boost::gregorian::days(1), range.to});
  }
  return out;
}

// The days a version is in force: its range minus the ranges of higher versions.
std::vector<DateRange> days_in_force(const model::Agreement& agreement,
                                     const std::vector<const model::Agreement*>& others) {
  std::vector<DateRange> days{agreement.valid};
  for (const model::Agreement* other : others) {
    if (other->id == agreement.id && other->version > agreement.version) days = subtract(days, other->valid);
  }
  return days;
}

// Every list-priced service has a list price or a price exception for every day in force.
void check_price_coverage(const ParsedAgreement& parsed, const std::vector<const model::Agreement*>& others,
                          const std::vector<model::PriceList>& price_lists, std::vector<Finding>& findings) {
  const model::Agreement& a = parsed.agreement;
  const auto in_force = days_in_force(a, others);
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const model::ServiceTerms& terms = a.services[i];
    if (terms.price.model != model::PriceModel::list || terms.service.empty()) continue;
    std::optional<DateRange> gap;
    int gap_year = 0;
    for (const auto& range : in_force) {
      for (int year = range.from.year(); year <= range.to.year() && !gap; ++year) {
        const model::PriceList* list = nullptr;
        for (const auto& candidate : price_lists) {
          if (candidate.year == year) list = &candidate;
        }
        if (list != nullptr && list->price_of(terms.service)) continue;
        const DateRange whole_year{Month(year, 1).first_day(), Month(year, 12).last_day()};
        std::vector<DateRange> uncovered{*range.intersect(whole_year)};
        for (const auto& ex : a.exceptions) {
          if (ex.kind != model::ExceptionKind::price || !ex.applies_to_service(terms.service)) continue;
          uncovered = subtract(uncovered, ex.period.value_or(a.valid));
        }
        if (!uncovered.empty()) {
          gap = uncovered.front();
          gap_year = year;
        }
      }
      if (gap) break;
    }
    if (gap) {
      const Location where = i < parsed.price_at.size() ? parsed.price_at[i] : a.where;
      findings.push_back(Finding{where, "services[" + std::to_string(i) + "].price list: " + terms.service +
                                            " has no price on " + range_text(*gap) + " (no prices/" +
                                            std::to_string(gap_year) +
                                            ".yaml lists it and no price exception covers those days)"});
    }
  }
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
    if (x.where.file != y.where.file) return x.where.file < y.where.file;
    if (x.where.line != y.where.line) return x.where.line < y.where.line;
    return x.where.column < y.where.column;
  });
}

std::string file_name(const std::string& path) { return fs::path(path).filename().string(); }

// Where the key `year` of the section is written (the file parsed, so it exists).
YAML::Mark year_mark(const ParsedFile& file, const char* section) {
  const YAML::Node map = file.root[section];
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (key.IsScalar() && key.Scalar() == "year") return key.Mark();
  }
  return map.Mark();
}

// The year in a price list or cost model file must match its name (prices/2027.yaml).
bool year_matches_name(const ParsedFile& file, const char* section, int year, std::vector<Finding>& findings) {
  const std::string expected = std::to_string(year) + ".yaml";
  if (file_name(file.source->path) == expected) return true;
  FileContext context(file.source->path, findings);
  context.error(year_mark(file, section), std::string(section) + ".year " + std::to_string(year) +
                                              " does not match the file name " + file_name(file.source->path) +
                                              " (expected " + expected + ")");
  return false;
}

}  // namespace

LoadResult load_sources(const std::vector<SourceFile>& files) {
  LoadResult result;
  auto& findings = result.findings;
  model::ContractSet& set = result.contracts;
  result.files_read = static_cast<int>(files.size());
  result.sources = files;

  std::vector<ParsedFile> parsed;
  parsed.reserve(files.size());
  for (const auto& file : files) parsed.push_back(parse_yaml(file, findings));

  auto of_kind = [&](FileKind kind) {
    std::vector<const ParsedFile*> out;
    for (const auto& file : parsed) {
      if (file.source->kind == kind) out.push_back(&file);
    }
    return out;
  };

  // The catalog and agencies come first: every other file refers to them.
  bool catalog_ok = false;
  const auto catalogs = of_kind(FileKind::catalog);
  for (std::size_t i = 1; i < catalogs.size(); ++i)
    findings.push_back({{catalogs[i]->source->path, 0, 0}, "a second catalog; there is one catalog.yaml"});
  if (!catalogs.empty() && catalogs.front()->parsed) {
    FileContext context(catalogs.front()->source->path, findings);
    if (auto catalog = detail::parse_catalog(context, catalogs.front()->root)) {
      set.catalog = std::move(*catalog);
      catalog_ok = true;
    }
  }
  const model::Catalog* catalog = catalog_ok ? &set.catalog : nullptr;

  bool agencies_ok = false;
  const auto agency_files = of_kind(FileKind::agencies);
  for (std::size_t i = 1; i < agency_files.size(); ++i)
    findings.push_back({{agency_files[i]->source->path, 0, 0}, "a second agencies file; there is one agencies.yaml"});
  if (!agency_files.empty() && agency_files.front()->parsed) {
    FileContext context(agency_files.front()->source->path, findings);
    const std::size_t before = findings.size();
    set.agencies = detail::parse_agencies(context, agency_files.front()->root);
    agencies_ok = findings.size() == before;
  }
  const std::vector<model::Agency>* agencies = agencies_ok ? &set.agencies : nullptr;

  bool prices_ok = true;
  for (const ParsedFile* file : of_kind(FileKind::price_list)) {
    if (!file->parsed) {
      prices_ok = false;
      continue;
    }
    FileContext context(file->source->path, findings);
    auto list = detail::parse_price_list(context, file->root, catalog);
    if (!list) {
      prices_ok = false;
      continue;
    }
    if (!year_matches_name(*file, "price_list", list->year, findings)) {
      prices_ok = false;
      continue;
    }
    if (const model::PriceList* first = set.price_list(list->year)) {
      context.error(year_mark(*file, "price_list"), "price_list.year " + std::to_string(list->year) +
                                                        " is repeated (also in " + first->source_file + ")");
      continue;
    }
    set.price_lists.push_back(std::move(*list));
  }
  std::sort(set.price_lists.begin(), set.price_lists.end(),
            [](const model::PriceList& x, const model::PriceList& y) { return x.year < y.year; });

  for (const ParsedFile* file : of_kind(FileKind::cost_model)) {
    if (!file->parsed) continue;
    FileContext context(file->source->path, findings);
    auto model = detail::parse_cost_model(context, file->root, catalog);
    if (!model) continue;
    if (!year_matches_name(*file, "cost_model", model->year, findings)) continue;
    if (const model::CostModel* first = set.cost_model(model->year)) {
      context.error(year_mark(*file, "cost_model"), "cost_model.year " + std::to_string(model->year) +
                                                        " is repeated (also in " + first->source_file + ")");
      continue;
    }
    set.cost_models.push_back(std::move(*model));
  }

  std::vector<ParsedAgreement> agreements;
  for (const ParsedFile* file : of_kind(FileKind::agreement)) {
    if (!file->parsed) continue;
    FileContext context(file->source->path, findings);
    auto agreement = detail::parse_agreement(context, file->root, catalog, agencies);
    if (!agreement) continue;
    agreement->agreement.content_hash = sha256_hex(file->source->text);
    // Repeated versions, and one client per agreement id.
    bool repeated = false;
    for (const auto& other : agreements) {
      const model::Agreement& x = other.agreement;
      const model::Agreement& y = agreement->agreement;
      if (x.id != y.id) continue;
      if (x.version == y.version) {
        context.error(agreement->version_at, "agreement.version " + std::to_string(y.version) + " of " + y.id +
                                                 " is repeated (also in " + x.source_file + ")");
        repeated = true;
        break;
      }
      if (x.client != y.client) {
        context.error(agreement->client_at, "agreement.client " + y.client + " differs from version " +
                                                std::to_string(x.version) + " of " + y.id + " (" + x.client + ", " +
                                                x.source_file + ")");
        repeated = true;
        break;
      }
    }
    if (!repeated) agreements.push_back(std::move(*agreement));
  }

  if (catalog_ok && prices_ok) {
    std::vector<const model::Agreement*> all;
    all.reserve(agreements.size());
    for (const auto& a : agreements) all.push_back(&a.agreement);
    for (const auto& a : agreements) check_price_coverage(a, all, set.price_lists, findings);
  }
  for (auto& a : agreements) set.agreements.push_back(std::move(a.agreement));
  sort_findings(findings);
  return result;
}

LoadResult load_directory(const std::string& dir) {
  LoadResult failed;
  const fs::path root(dir);
  std::error_code error;
  if (!fs::is_directory(root, error)) {
    failed.findings.push_back({{escape_for_message(dir), 0, 0}, "is not a directory"});
    return failed;
  }
  std::vector<SourceFile> files;
  std::vector<Finding> discovery;
  // Names as findings show them: a line feed in a file name must not start a line.
  auto display = [&](const fs::path& path) {
    return escape_for_message((root / path).lexically_normal().generic_string());
  };
  auto read = [&](const fs::path& relative, FileKind kind) {
    const std::string name = display(relative);
    auto bytes = read_file(root / relative);
    if (const auto* problem = std::get_if<std::string>(&bytes)) {
      discovery.push_back({{name, 0, 0}, *problem});
    } else {
      files.push_back(SourceFile{kind, name, std::move(std::get<SourceText>(bytes).text)});
    }
  };
  for (const auto& [name, kind] :
       {std::pair{"catalog.yaml", FileKind::catalog}, {"agencies.yaml", FileKind::agencies}}) {
    const auto status = fs::symlink_status(root / name, error);
    if (fs::is_symlink(status)) {
      discovery.push_back({{display(name), 0, 0}, kLinkedFile});
    } else if (fs::exists(status)) {
      read(name, kind);
    } else {
      discovery.push_back({{display(name), 0, 0}, "file not found (a contracts folder needs it)"});
    }
  }
  for (const auto& [sub, kind] : {std::pair{"prices", FileKind::price_list},
                                  {"agreements", FileKind::agreement},
                                  {"costs", FileKind::cost_model}}) {
    const auto status = fs::symlink_status(root / sub, error);
    if (fs::is_symlink(status)) {
      discovery.push_back({{display(sub), 0, 0}, kLinkedFolder});
      continue;
    }
    if (!fs::is_directory(status)) continue;
    std::vector<fs::path> names;
    for (const auto& entry : fs::directory_iterator(root / sub, error)) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name.front() == '.') continue;
      const std::string extension = entry.path().extension().string();
      if (extension != ".yaml" && extension != ".yml") continue;
      const auto entry_status = entry.symlink_status(error);
      if (fs::is_symlink(entry_status)) {
        discovery.push_back({{display(fs::path(sub) / name), 0, 0}, kLinkedFile});
        continue;
      }
      if (!fs::is_regular_file(entry_status)) continue;
      if (extension == ".yml") {
        discovery.push_back({{display(fs::path(sub) / name), 0, 0}, "has the extension .yml; name it .yaml"});
        continue;
      }
      names.push_back(fs::path(sub) / name);
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) read(name, kind);
  }
  LoadResult result = load_sources(files);
  result.findings.insert(result.findings.end(), discovery.begin(), discovery.end());
  sort_findings(result.findings);
  return result;
}

LoadResult load_agreement_text(const std::string& file, const std::string& text, const model::ContractSet& context) {
  LoadResult result;
  result.files_read = 1;
  const SourceFile source{FileKind::agreement, file, text};
  ParsedFile parsed = parse_yaml(source, result.findings);
  if (!parsed.parsed) return result;
  FileContext file_context(file, result.findings);
  auto agreement = detail::parse_agreement(file_context, parsed.root, &context.catalog, &context.agencies);
  if (!agreement) {
    sort_findings(result.findings);
    return result;
  }
  agreement->agreement.content_hash = sha256_hex(text);
  std::vector<const model::Agreement*> others;
  for (const auto& other : context.agreements) {
    if (other.id == agreement->agreement.id && other.version != agreement->agreement.version) others.push_back(&other);
  }
  check_price_coverage(*agreement, others, context.price_lists, result.findings);
  result.contracts.catalog = context.catalog;
  result.contracts.agencies = context.agencies;
  result.contracts.price_lists = context.price_lists;
  result.contracts.agreements.push_back(std::move(agreement->agreement));
  sort_findings(result.findings);
  return result;
}

}  // namespace costcover::contracts
