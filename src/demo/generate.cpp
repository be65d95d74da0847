#include "demo/generate.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>

#include "core/business_days.hpp"
#include "core/int128.hpp"
#include "ingest/timestamp.hpp"

namespace costcover::demo {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
}

std::uint64_t fnv(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

Date to_date(std::int32_t days) {
  const ingest::CivilDate c = ingest::civil_from_days(days);
  return Date(static_cast<unsigned short>(c.year), static_cast<unsigned short>(c.month),
              static_cast<unsigned short>(c.day));
}

std::int32_t from_date(Date day) { return ingest::days_from_civil(day.year(), day.month(), day.day()); }

std::string prefix_of(const std::string& area) {
  if (area == "finance") return "FIN";
  if (area == "hr") return "HR";
  return "OTH";
}

void append_int(std::string& out, std::int64_t value, int width) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(digits[--n]);
}

// Processing time in business days: cumulative per mille.
// Business days from receipt to delivery. Most months meet a "95 % within 5 business days"
// target (97.5 % are); a backlog month (`slow`) does not (91 %).
int draw_processing_days(Random& random, bool slow) {
  static constexpr std::array<std::uint64_t, 6> kNormal{260, 520, 720, 860, 935, 975};
  static constexpr std::array<std::uint64_t, 6> kSlow{200, 400, 580, 720, 830, 910};
  const auto& upto = slow ? kSlow : kNormal;
  const auto p = random.below(1000);
  for (std::size_t k = 0; k < upto.size(); ++k) {
    if (p < upto[k]) return static_cast<int>(k);
  }
  if (p < (slow ? 975U : 995U)) return 6 + static_cast<int>(random.below(5));
  return 11 + static_cast<int>(random.below(15));
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};

struct Output {
  std::string area;
  std::string path;
  std::unique_ptr<std::FILE, FileCloser> file;
  std::string buffer;
  Random random{0};
  std::int64_t sequence = 0;
  std::int64_t rows = 0;
  std::int64_t cancellations = 0;
  std::int64_t units = 0;
  std::vector<std::string> pending_cancellations;  // emitted at the end of the day

  void flush() {
    if (!buffer.empty() && std::fwrite(buffer.data(), 1, buffer.size(), file.get()) != buffer.size()) {
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    buffer.clear();
  }
};

}  // namespace

Random::Random(std::uint64_t seed) : s_{} {
  std::uint64_t x = seed;
  for (auto& s : s_) s = splitmix64(x);
}

std::uint64_t Random::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17U;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Random::below(std::uint64_t bound) {
  std::uint64_t x = next();
  auto m = static_cast<UInt128>(x) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      x = next();
      m = static_cast<UInt128>(x) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64U);
}

std::int64_t parse_scale(const std::string& text) {
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  int fraction_digits = 0;
  bool dot = false;
  bool any = false;
  for (const char c : text) {
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') throw std::invalid_argument("scale \"" + text + "\" is not a decimal number like 12.5");
    any = true;
    if (dot) {
      if (fraction_digits == 6) throw std::invalid_argument("scale \"" + text + "\" has more than 6 decimals");
      fraction = fraction * 10 + (c - '0');
      ++fraction_digits;
    } else {
      whole = whole * 10 + (c - '0');
      if (whole > 1'000'000) throw std::invalid_argument("scale \"" + text + "\" is too large");
    }
  }
  if (!any) throw std::invalid_argument("scale \"" + text + "\" is not a decimal number like 12.5");
  for (int i = fraction_digits; i < 6; ++i) fraction *= 10;
  const std::int64_t value = whole * 1'000'000 + fraction;
  if (value <= 0) throw std::invalid_argument("scale \"" + text + "\" must be positive");
  return value;
}

std::vector<GenerateStream> plan_month(const model::ContractSet& contracts, int year, int month) {
  const std::int32_t first = ingest::days_from_civil(year, month, 1);
  const std::int32_t last = ingest::days_from_civil(year, month, days_in_month(year, month));
  // The highest version of each agreement overlapping the month.
  std::map<std::string, const model::Agreement*> chosen;
  for (const auto& agreement : contracts.agreements) {
    const std::int32_t from = from_date(agreement.valid.from);
    const std::int32_t to = from_date(agreement.valid.to);
    if (to < first || from > last) continue;
    auto& slot = chosen[agreement.id];
    if (slot == nullptr || slot->version < agreement.version) slot = &agreement;
  }
  std::vector<GenerateStream> streams;
  for (const auto& [id, agreement] : chosen) {
    for (const auto& terms : agreement->services) {
      const model::Service* service = contracts.catalog.find(terms.service);
      GenerateStream stream;
      stream.agency = agreement->client;
      stream.service = terms.service;
      stream.area = service == nullptr                      ? "other"
                    : service->area == model::Area::finance ? "finance"
                    : service->area == model::Area::hr      ? "hr"
                                                            : "other";
      std::int64_t volume = kDefaultMonthlyVolume;
      if (terms.volume.forecast) {
        volume = terms.volume.per == model::Window::year ? *terms.volume.forecast / 12 : *terms.volume.forecast;
      }
      stream.monthly_volume = volume;
      stream.first_day = std::max(first, from_date(agreement->valid.from));
      stream.last_day = std::min(last, from_date(agreement->valid.to));
      streams.push_back(stream);
    }
  }
  return streams;
}

namespace {

// The outputs in area order, each with its own random stream and the header written.
std::map<std::string, Output> open_outputs(const std::vector<GenerateStream>& streams, const GenerateOptions& options) {
  std::map<std::string, Output> outputs;
  for (const auto& stream : streams) outputs.try_emplace(stream.area);
  for (auto& [area, output] : outputs) {
    output.area = area;
    output.path = (std::filesystem::path(options.out_dir) / (area + ".csv")).string();
    output.file.reset(std::fopen(output.path.c_str(), "wb"));
    if (!output.file) throw std::runtime_error("cannot write " + output.path + ": " + std::strerror(errno));
    output.random =
        Random(options.seed ^ fnv(area) ^ (static_cast<std::uint64_t>(options.year * 100 + options.month) << 20U));
    output.buffer = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n";
  }
  return outputs;
}

// Day weights: business days carry the work, other days a trickle.
struct DayWeights {
  std::vector<std::int64_t> weight;  // from the month's first day
  std::int64_t total = 0;
};
DayWeights day_weights(std::int32_t first, std::int32_t last) {
  DayWeights weights;
  for (std::int32_t day = first; day <= last; ++day) {
    weights.weight.push_back(is_business_day(to_date(day)) ? 1000 : 30);
    weights.total += weights.weight.back();
  }
  return weights;
}

// Per stream: its month's volume (transactions) drawn around the base, times the scale,
// and whether the month is a backlog month. The forecast counts units; a transaction
// carries 1.12 units on average (see the quantity draw), so the transactions are drawn
// around forecast / 1.12.
struct StreamMonth {
  std::int64_t transactions = 0;
  bool slow = false;  // one stream-month in five has a backlog
};
std::vector<StreamMonth> draw_stream_months(const std::vector<GenerateStream>& streams,
                                            std::map<std::string, Output>& outputs, const GenerateOptions& options) {
  std::vector<StreamMonth> months(streams.size());
  for (std::size_t i = 0; i < streams.size(); ++i) {
    Random& random = outputs[streams[i].area].random;
    const auto noise = static_cast<std::int64_t>(900 + random.below(201));  // 0.9 .. 1.1
    const Int128 scaled = static_cast<Int128>(streams[i].monthly_volume) * noise * options.scale_millionths * 100;
    months[i].transactions =
        static_cast<std::int64_t>(scaled / (static_cast<Int128>(1'000'000'000) * kUnitsPerHundredTransactions));
    months[i].slow = random.below(100) < 20;
  }
  return months;
}

// Received day for k business days of processing (k = 0..25): the day before the k-th
// business day counted back from the delivered day (k = 0: the same day).
using ReceivedDays = std::array<std::int32_t, 26>;
ReceivedDays received_days(std::int32_t day) {
  ReceivedDays received_for{};
  std::int32_t r = day;
  int count = 0;
  received_for[0] = day;
  for (int k = 1; k < 26; ++k) {
    while (count < k) {
      if (is_business_day(to_date(r))) ++count;
      --r;
    }
    received_for[static_cast<std::size_t>(k)] = r;
  }
  return received_for;
}

// What one transaction draws, in the order drawn (the files depend on that order).
struct Draw {
  std::int64_t delivered = 0;  // UTC microseconds
  std::int64_t received = 0;
  int processing_days = 0;
  std::uint64_t tag = 0;       // 0..999
  std::uint64_t quantity = 0;  // 0..99
  std::uint64_t cancel = 0;    // 0..999
};
constexpr std::int64_t kHour = 3600;    // seconds
constexpr std::uint64_t kHours = 3600;  // seconds, as a random.below() bound

Draw draw_transaction(Random& random, std::int32_t day, bool business, bool slow, const ReceivedDays& received_for) {
  Draw draw;
  const std::int64_t delivered_seconds = business ? 8 * kHour + static_cast<std::int64_t>(random.below(10 * kHours))
                                                  : 10 * kHour + static_cast<std::int64_t>(random.below(4 * kHours));
  draw.delivered = ingest::helsinki_to_utc(day, delivered_seconds * ingest::kMicrosPerSecond);
  draw.processing_days = draw_processing_days(random, slow);
  if (draw.processing_days == 0) {
    const auto before =
        static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(delivered_seconds - 7 * kHour)));
    draw.received = draw.delivered - before * ingest::kMicrosPerSecond;
  } else {
    const std::int64_t seconds = 8 * kHour + static_cast<std::int64_t>(random.below(9 * kHours));
    draw.received = ingest::helsinki_to_utc(received_for[static_cast<std::size_t>(draw.processing_days)],
                                            seconds * ingest::kMicrosPerSecond);
  }
  draw.tag = random.below(1000);
  draw.quantity = random.below(100);
  draw.cancel = random.below(1000);
  return draw;
}

// Writes one delivered row (and keeps its cancellation, 0.2 %, for the end of the day).
void write_transaction(Output& out, const GenerateStream& stream, const std::string& yyyymm, const Draw& draw,
                       std::string& line) {
  line.clear();
  line += prefix_of(stream.area);
  line.push_back('-');
  line += yyyymm;
  line.push_back('-');
  append_int(line, ++out.sequence, 8);
  line.push_back(',');
  line += stream.agency;
  line.push_back(',');
  line += stream.service;
  line.push_back(',');
  ingest::append_helsinki(line, draw.received);
  line.push_back(',');
  ingest::append_helsinki(line, draw.delivered);
  line.push_back(',');
  // 97 % one unit, 1 % each 2, 5 and 8: 112 units per 100 transactions.
  const std::int64_t quantity = draw.quantity < 97 ? 1 : 2 + static_cast<std::int64_t>(draw.quantity - 97) * 3;
  append_int(line, quantity, 1);
  line.push_back(',');
  const bool late = draw.processing_days >= 6 ? draw.tag < 150 : draw.tag < 30;
  const bool rework = draw.tag >= 985;
  if (late && rework) {
    line += "late-from-client;rework-provider";
  } else if (late) {
    line += "late-from-client";
  } else if (rework) {
    line += "rework-provider";
  }
  line.push_back(',');
  const std::size_t status_at = line.size();
  line += "delivered\n";
  out.buffer += line;
  ++out.rows;
  out.units += quantity;
  if (draw.cancel < 2) {
    line.resize(status_at);
    line += "cancelled\n";
    out.pending_cancellations.push_back(line);
  }
  if (out.buffer.size() >= (1U << 20U)) out.flush();
}

// The day's cancellations come at its end.
void end_day(std::map<std::string, Output>& outputs) {
  for (auto& [area, out] : outputs) {
    for (const auto& cancellation : out.pending_cancellations) {
      out.buffer += cancellation;
      ++out.rows;
      ++out.cancellations;
    }
    out.pending_cancellations.clear();
    if (out.buffer.size() >= (1U << 20U)) out.flush();
  }
}

std::vector<GeneratedFile> close_outputs(std::map<std::string, Output>& outputs) {
  std::vector<GeneratedFile> files;
  for (auto& [area, out] : outputs) {
    out.flush();
    if (std::fclose(out.file.release()) != 0) throw std::runtime_error("cannot write " + out.path);
    files.push_back({out.path, area, out.rows, out.cancellations, out.units});
  }
  return files;
}

}  // namespace

std::vector<GeneratedFile> generate_month(const std::vector<GenerateStream>& streams, const GenerateOptions& options) {
  const std::int32_t first = ingest::days_from_civil(options.year, options.month, 1);
  const std::int32_t last =
      ingest::days_from_civil(options.year, options.month, days_in_month(options.year, options.month));
  std::filesystem::create_directories(options.out_dir);
  std::map<std::string, Output> outputs = open_outputs(streams, options);
  const DayWeights weights = day_weights(first, last);
  const std::vector<StreamMonth> months = draw_stream_months(streams, outputs, options);
  const std::string yyyymm = std::to_string(options.year * 100 + options.month);
  std::string line;
  for (std::int32_t day = first; day <= last; ++day) {
    const bool business = is_business_day(to_date(day));
    const ReceivedDays received_for = received_days(day);
    const std::int64_t w = weights.weight[static_cast<std::size_t>(day - first)];
    for (std::size_t i = 0; i < streams.size(); ++i) {
      const GenerateStream& stream = streams[i];
      if (day < stream.first_day || day > stream.last_day) continue;
      Output& out = outputs[stream.area];
      // The day's share of the month, its remainder drawn.
      const Int128 expected = static_cast<Int128>(months[i].transactions) * w;
      auto count = static_cast<std::int64_t>(expected / weights.total);
      if (static_cast<std::int64_t>(out.random.below(static_cast<std::uint64_t>(weights.total))) <
          static_cast<std::int64_t>(expected % weights.total)) {
        ++count;
      }
      for (std::int64_t n = 0; n < count; ++n) {
        const Draw draw = draw_transaction(out.random, day, business, months[i].slow, received_for);
        if (draw.delivered <= options.cutoff_micros) write_transaction(out, stream, yyyymm, draw, line);
      }
    }
    end_day(outputs);
  }
  return close_outputs(outputs);
}

}  // namespace costcover::demo
