#include "ingest/reject_file.hpp"

#include "core/csv.hpp"

namespace costcover::ingest {

void append_reject_line(std::string& out, std::int64_t line, std::string_view reason_code, std::string_view reason,
                        std::string_view raw) {
  out += std::to_string(line);
  out.push_back(',');
  out += csv_text_field(reason_code);
  out.push_back(',');
  out += csv_text_field(reason);
  out.push_back(',');
  out += csv_text_field(raw);
  out.push_back('\n');
}

}  // namespace costcover::ingest
