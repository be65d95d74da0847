#include "db/copy.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "db/connection.hpp"

namespace costcover::db {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
}

CopyIn::CopyIn(soci::session& session, const std::string& sql) : conn_(native_pgconn(session)) {
  auto* conn = static_cast<PGconn*>(conn_);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn, sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COPY_IN) {
    throw std::runtime_error(std::string("COPY failed to start: ") + PQerrorMessage(conn));
  }
  buffer_.reserve(kFlushBytes + 4096);
}

void CopyIn::write(std::string_view data) {
  buffer_.append(data);
  if (buffer_.size() >= kFlushBytes) flush();
}

void CopyIn::flush() {
  if (buffer_.empty()) return;
  auto* conn = static_cast<PGconn*>(conn_);
  if (PQputCopyData(conn, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
    throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(conn));
  }
  buffer_.clear();
}

long long CopyIn::finish() {
  flush();
  auto* conn = static_cast<PGconn*>(conn_);
  done_ = true;
  if (PQputCopyEnd(conn, nullptr) != 1) throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(conn));
  long long rows = 0;
  bool failed = false;
  std::string error;
  while (PGresult* result = PQgetResult(conn)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      failed = true;
      error = PQresultErrorMessage(result);
    } else {
      rows = std::atoll(PQcmdTuples(result));
    }
    PQclear(result);
  }
  if (failed) throw std::runtime_error("COPY failed: " + error);
  return rows;
}

CopyIn::~CopyIn() {
  if (done_) return;
  auto* conn = static_cast<PGconn*>(conn_);
  PQputCopyEnd(conn, "aborted by costcover");
  while (PGresult* result = PQgetResult(conn)) PQclear(result);
}

void append_copy_text(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
}

}  // namespace costcover::db
