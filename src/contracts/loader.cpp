// Validating a set of contracts files (load_sources): check each file's size and bytes,
// parse each YAML document, run the per-file parsers (the catalog and agencies first:
// every other file refers to them), then the checks across files (repeated agreement
// versions, one client per agreement id, a price for every day an agreement is in force).
// Every finding of the whole set is collected; the result is complete only when there are
// none. Finding the files of a folder is folder.cpp.
#include "contracts/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "contracts/parsers.hpp"
#include "contracts/rules.hpp"
#include "core/sha256.hpp"
#include "core/utf8.hpp"

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

// A finding at the first byte that is not UTF-8 or is a control character other than tab
// and line breaks: yaml-cpp passes such bytes through, and the database refuses them when
// the file is stored. False when there is none.
bool refuse_bad_bytes(FileContext& context, const SourceFile& source) {
  const auto bad = detail::find_bad_text(source.text, "\t\n\r");
  if (!bad) return false;
  const std::string_view before = std::string_view(source.text).substr(0, bad->offset);
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  const Location where{source.path, static_cast<int>(std::count(before.begin(), before.end(), '\n') + 1),
                       static_cast<int>(bad->offset - line_start + 1)};
  if (bad->utf8) {
    context.error(Rule::file_control_character, where,
                  bad->to_string() + " is not allowed in a contracts file (only tab and line breaks are)");
  } else {
    context.error(Rule::not_utf8, where, bad->to_string() + " is not UTF-8; save the file as UTF-8");
  }
  return true;
}

// The one document of the text; false after a finding (empty, an alias, a second one).
// YAML::LoadAll is not used: yaml-cpp 0.7 loops forever in it on some malformed input
// (a stray ",", jbeder/yaml-cpp#1040), so the documents are counted with the event parser,
// which is asked for at most two.
bool read_one_document(FileContext& context, const SourceFile& source, ParsedFile& out) {
  const YAML::Node root = YAML::Load(source.text);
  std::istringstream stream(source.text);
  YAML::Parser parser(stream);
  DocumentScan first;
  parser.HandleNextDocument(first);
  if (root.IsNull() && !first.first_node) {
    context.error(Rule::empty_file, Location{source.path, 1, 1}, "the file is empty");
    return false;
  }
  if (first.alias) {
    context.error(Rule::alias, *first.alias, "aliases (*name) are not allowed in contracts; write the value out");
    return false;
  }
  DocumentScan second;
  if (parser.HandleNextDocument(second)) {
    context.error(Rule::second_document, second.first_node.value_or(second.start),
                  "a second YAML document or stray text starts here; put one document in a file");
    return false;
  }
  out.root = root;
  return true;
}

// Parses the YAML text; its size, bytes and syntax errors become findings.
ParsedFile parse_yaml(const SourceFile& source, std::vector<Finding>& findings) {
  ParsedFile out;
  out.source = &source;
  FileContext context(source.path, findings);
  if (source.text.size() > kMaxFileBytes) {
    context.error(Rule::file_too_large, Location{source.path, 0, 0}, detail::too_large_message(source.text.size()));
    return out;
  }
  if (refuse_bad_bytes(context, source)) return out;
  try {
    out.parsed = read_one_document(context, source, out);
  } catch (const YAML::Exception& error) {
    // The message may quote a byte of the text ("unknown escape character: ...").
    context.error(Rule::yaml_syntax, error.mark, "YAML syntax error: " + escape_for_message(error.msg));
  } catch (const std::exception& error) {
    context.error(Rule::yaml_syntax, Location{source.path, 0, 0},
                  "YAML could not be read: " + escape_for_message(error.what()));
  }
  return out;
}

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

struct PriceGap {
  DateRange days;
  int year = 0;
};

// The first days of `in_force` on which a list-priced service has no price: the year's
// list does not list it and no price exception of the agreement covers the days.
std::optional<PriceGap> first_price_gap(const model::Agreement& a, const std::string& service,
                                        const std::vector<DateRange>& in_force,
                                        const std::vector<model::PriceList>& price_lists) {
  for (const auto& range : in_force) {
    for (int year = range.from.year(); year <= range.to.year(); ++year) {
      const model::PriceList* list = nullptr;
      for (const auto& candidate : price_lists) {
        if (candidate.year == year) list = &candidate;
      }
      if (list != nullptr && list->price_of(service)) continue;
      const DateRange whole_year{Month(year, 1).first_day(), Month(year, 12).last_day()};
      std::vector<DateRange> uncovered{*range.intersect(whole_year)};
      for (const auto& ex : a.exceptions) {
        if (ex.kind != model::ExceptionKind::price || !ex.applies_to_service(service)) continue;
        uncovered = subtract(uncovered, ex.period.value_or(a.valid));
      }
      if (!uncovered.empty()) return PriceGap{uncovered.front(), year};
    }
  }
  return std::nullopt;
}

// Every list-priced service has a list price or a price exception for every day in force.
void check_price_coverage(const ParsedAgreement& parsed, const std::vector<const model::Agreement*>& others,
                          const std::vector<model::PriceList>& price_lists, std::vector<Finding>& findings) {
  const model::Agreement& a = parsed.agreement;
  const auto in_force = days_in_force(a, others);
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const model::ServiceTerms& terms = a.services[i];
    if (terms.price.model != model::PriceModel::list || terms.service.empty()) continue;
    const auto gap = first_price_gap(a, terms.service, in_force, price_lists);
    if (!gap) continue;
    const Location where = i < parsed.price_at.size() ? parsed.price_at[i] : a.where;
    findings.push_back(make_finding(Rule::no_price, where,
                                    "services[" + std::to_string(i) + "].price list: " + terms.service +
                                        " has no price on " + format_range(gap->days) + " (no prices/" +
                                        std::to_string(gap->year) +
                                        ".yaml lists it and no price exception covers those days)"));
  }
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
bool year_matches_name(FileContext& context, const ParsedFile& file, const char* section, int year) {
  const std::string expected = std::to_string(year) + ".yaml";
  if (file_name(file.source->path) == expected) return true;
  context.error(Rule::year_not_file_name, year_mark(file, section),
                std::string(section) + ".year " + std::to_string(year) + " does not match the file name " +
                    file_name(file.source->path) + " (expected " + expected + ")");
  return false;
}

void report_repeated_year(FileContext& context, const ParsedFile& file, const char* section, int year,
                          const std::string& first_file) {
  context.error(Rule::repeated_year, year_mark(file, section),
                std::string(section) + ".year " + std::to_string(year) + " is repeated (also in " + first_file + ")");
}

// The parsed files of a set, by kind, and what the later kinds need of the earlier.
class SetLoader {
 public:
  SetLoader(const std::vector<SourceFile>& files, LoadResult& result) : result_(result) {
    parsed_.reserve(files.size());
    for (const auto& file : files) parsed_.push_back(parse_yaml(file, result_.findings));
  }

  void load_catalog();
  void load_agencies();
  void load_price_lists();
  void load_cost_models();
  void load_agreements();

 private:
  [[nodiscard]] std::vector<const ParsedFile*> of_kind(FileKind kind) const;
  // Findings for every file of a kind but the first (there is one catalog, one agencies
  // file); the first, if it parsed.
  [[nodiscard]] const ParsedFile* only_one(FileKind kind, const char* message);
  // A repeated version or a changed client; false after a finding.
  [[nodiscard]] bool first_of_its_version(FileContext& context, const ParsedAgreement& agreement,
                                          const std::vector<ParsedAgreement>& earlier);

  LoadResult& result_;
  std::vector<ParsedFile> parsed_;
  const model::Catalog* catalog_ = nullptr;               // when catalog.yaml loaded
  const std::vector<model::Agency>* agencies_ = nullptr;  // when agencies.yaml loaded
  bool prices_ok_ = true;
};

std::vector<const ParsedFile*> SetLoader::of_kind(FileKind kind) const {
  std::vector<const ParsedFile*> out;
  for (const auto& file : parsed_) {
    if (file.source->kind == kind) out.push_back(&file);
  }
  return out;
}

const ParsedFile* SetLoader::only_one(FileKind kind, const char* message) {
  const auto files = of_kind(kind);
  for (std::size_t i = 1; i < files.size(); ++i) {
    result_.findings.push_back(make_finding(Rule::repeated_file, {files[i]->source->path, 0, 0}, message));
  }
  return !files.empty() && files.front()->parsed ? files.front() : nullptr;
}

void SetLoader::load_catalog() {
  const ParsedFile* file = only_one(FileKind::catalog, "a second catalog; there is one catalog.yaml");
  if (file == nullptr) return;
  FileContext context(file->source->path, result_.findings);
  if (auto catalog = detail::parse_catalog(context, file->root)) {
    result_.contracts.catalog = std::move(*catalog);
    catalog_ = &result_.contracts.catalog;
  }
}

void SetLoader::load_agencies() {
  const ParsedFile* file = only_one(FileKind::agencies, "a second agencies file; there is one agencies.yaml");
  if (file == nullptr) return;
  FileContext context(file->source->path, result_.findings);
  const std::size_t before = context.finding_count();
  result_.contracts.agencies = detail::parse_agencies(context, file->root);
  if (context.finding_count() == before) agencies_ = &result_.contracts.agencies;
}

void SetLoader::load_price_lists() {
  model::ContractSet& set = result_.contracts;
  for (const ParsedFile* file : of_kind(FileKind::price_list)) {
    if (!file->parsed) {
      prices_ok_ = false;
      continue;
    }
    FileContext context(file->source->path, result_.findings);
    auto list = detail::parse_price_list(context, file->root, catalog_);
    if (!list || !year_matches_name(context, *file, "price_list", list->year)) {
      prices_ok_ = false;
      continue;
    }
    if (const model::PriceList* first = set.price_list(list->year)) {
      report_repeated_year(context, *file, "price_list", list->year, first->source_file);
      continue;
    }
    set.price_lists.push_back(std::move(*list));
  }
  std::sort(set.price_lists.begin(), set.price_lists.end(),
            [](const model::PriceList& x, const model::PriceList& y) { return x.year < y.year; });
}

void SetLoader::load_cost_models() {
  model::ContractSet& set = result_.contracts;
  for (const ParsedFile* file : of_kind(FileKind::cost_model)) {
    if (!file->parsed) continue;
    FileContext context(file->source->path, result_.findings);
    auto model = detail::parse_cost_model(context, file->root, catalog_);
    if (!model || !year_matches_name(context, *file, "cost_model", model->year)) continue;
    if (const model::CostModel* first = set.cost_model(model->year)) {
      report_repeated_year(context, *file, "cost_model", model->year, first->source_file);
      continue;
    }
    set.cost_models.push_back(std::move(*model));
  }
}

bool SetLoader::first_of_its_version(FileContext& context, const ParsedAgreement& agreement,
                                     const std::vector<ParsedAgreement>& earlier) {
  const model::Agreement& y = agreement.agreement;
  for (const auto& other : earlier) {
    const model::Agreement& x = other.agreement;
    if (x.id != y.id) continue;
    if (x.version == y.version) {
      context.error(Rule::repeated_version, agreement.version_at,
                    "agreement.version " + std::to_string(y.version) + " of " + y.id + " is repeated (also in " +
                        x.source_file + ")");
      return false;
    }
    if (x.client != y.client) {
      context.error(Rule::client_changes, agreement.client_at,
                    "agreement.client " + y.client + " differs from version " + std::to_string(x.version) + " of " +
                        y.id + " (" + x.client + ", " + x.source_file + ")");
      return false;
    }
  }
  return true;
}

void SetLoader::load_agreements() {
  std::vector<ParsedAgreement> agreements;
  for (const ParsedFile* file : of_kind(FileKind::agreement)) {
    if (!file->parsed) continue;
    FileContext context(file->source->path, result_.findings);
    auto agreement = detail::parse_agreement(context, file->root, catalog_, agencies_);
    if (!agreement) continue;
    agreement->agreement.content_hash = sha256_hex(file->source->text);
    if (first_of_its_version(context, *agreement, agreements)) agreements.push_back(std::move(*agreement));
  }
  if (catalog_ != nullptr && prices_ok_) {
    std::vector<const model::Agreement*> all;
    all.reserve(agreements.size());
    for (const auto& a : agreements) all.push_back(&a.agreement);
    for (const auto& a : agreements) check_price_coverage(a, all, result_.contracts.price_lists, result_.findings);
  }
  for (auto& a : agreements) result_.contracts.agreements.push_back(std::move(a.agreement));
}

}  // namespace

namespace detail {

std::string too_large_message(std::uintmax_t bytes) {
  return "the file is " + std::to_string(bytes) + " bytes, above the largest allowed " + std::to_string(kMaxFileBytes) +
         " (1 MiB)";
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
    if (x.where.file != y.where.file) return x.where.file < y.where.file;
    if (x.where.line != y.where.line) return x.where.line < y.where.line;
    return x.where.column < y.where.column;
  });
}

}  // namespace detail

LoadResult load_sources(const std::vector<SourceFile>& files) {
  LoadResult result;
  result.files_read = static_cast<int>(files.size());
  result.sources = files;
  SetLoader loader(files, result);
  loader.load_catalog();
  loader.load_agencies();
  loader.load_price_lists();
  loader.load_cost_models();
  loader.load_agreements();
  detail::sort_findings(result.findings);
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
    detail::sort_findings(result.findings);
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
  detail::sort_findings(result.findings);
  return result;
}

}  // namespace costcover::contracts
