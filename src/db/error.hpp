// What the database said when a statement failed, in one type for every client style
// (SOCI, the text-mode queries, COPY): the SQLSTATE, the server's message without the
// statement's text or parameters (a parameter can be a whole YAML file), and whether the
// connection is gone. Transient errors (serialization failure, deadlock, lost
// connection) are the ones a job may retry.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include <soci/soci.h>

namespace costcover::db {

class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(std::string sqlstate, const std::string& message, bool connection_lost);
  [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }  // "" when unknown
  [[nodiscard]] bool connection_lost() const { return connection_lost_; }
  // 40001 serialization_failure, 40P01 deadlock_detected, or the connection is gone.
  [[nodiscard]] bool transient() const;

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// True while the session's connection is usable.
[[nodiscard]] bool connection_ok(soci::session& session);

// A DatabaseError for an error a SOCI call threw on this session.
[[nodiscard]] DatabaseError from_soci(const soci::soci_error& error, soci::session& session);

// A DatabaseError for the libpq result (PGresult*, may be null) of a failed call.
[[nodiscard]] DatabaseError from_libpq(void* conn, void* result);

// The exception in flight as a DatabaseError when it came from the database (SOCI or
// DatabaseError); nullptr for anything else.
[[nodiscard]] std::exception_ptr as_database_error(const std::exception_ptr& error, soci::session& session);

}  // namespace costcover::db
