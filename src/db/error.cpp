#include "db/error.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <string>

#include "db/connection.hpp"

namespace costcover::db {
namespace {

// One line: the first of the server's message, without its severity ("ERROR:  ").
std::string trimmed(std::string text) {
  if (const auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  for (const char* severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    if (text.rfind(severity, 0) == 0) text.erase(0, std::char_traits<char>::length(severity));
  }
  return text;
}

bool lost_state(const std::string& sqlstate) {
  // Class 08 connection exceptions; 57P01..57P03 the server shut down or is starting.
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

}  // namespace

DatabaseError::DatabaseError(std::string sqlstate, const std::string& message, bool connection_lost)
    : std::runtime_error(message),
      sqlstate_(std::move(sqlstate)),
      connection_lost_(connection_lost || lost_state(sqlstate_)) {}

bool DatabaseError::transient() const { return connection_lost_ || sqlstate_ == "40001" || sqlstate_ == "40P01"; }

bool connection_ok(soci::session& session) {
  if (session.get_backend() == nullptr) return false;
  return PQstatus(static_cast<PGconn*>(native_pgconn(session))) == CONNECTION_OK;
}

DatabaseError from_soci(const soci::soci_error& error, soci::session& session) {
  std::string sqlstate;
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    sqlstate = pg->sqlstate();
    if (sqlstate.size() > 5) sqlstate.resize(5);
    if (sqlstate.find_first_not_of('\0') == std::string::npos) sqlstate.clear();
  }
  std::string message = trimmed(error.get_error_message());
  const bool lost = !connection_ok(session);
  if (message.empty()) {
    message = lost ? "the connection to the database was lost" : "the database refused the statement";
  }
  return DatabaseError(sqlstate, message, lost);
}

DatabaseError from_libpq(void* conn, void* result) {
  auto* pg = static_cast<PGconn*>(conn);
  auto* res = static_cast<PGresult*>(result);
  std::string sqlstate;
  std::string message;
  if (res != nullptr) {
    if (const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) sqlstate = state;
    if (const char* text = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) {
      message = text;
      if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
        message += std::string(" (") + detail + ")";
      }
    }
  }
  if (message.empty() && res != nullptr) message = trimmed(PQresultErrorMessage(res));
  if (message.empty() && pg != nullptr) message = trimmed(PQerrorMessage(pg));
  const bool lost = pg == nullptr || PQstatus(pg) != CONNECTION_OK;
  if (message.empty()) {
    message = lost ? "the connection to the database was lost" : "the database refused the statement";
  }
  return DatabaseError(sqlstate, message, lost);
}

std::exception_ptr as_database_error(const std::exception_ptr& error, soci::session& session) {
  try {
    std::rethrow_exception(error);
  } catch (const DatabaseError&) {
    return error;
  } catch (const soci::soci_error& soci_error) {
    return std::make_exception_ptr(from_soci(soci_error, session));
  } catch (...) {
    return nullptr;
  }
}

}  // namespace costcover::db
