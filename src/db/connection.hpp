// Where the database is and how to reach it. The connection string comes from --db, else
// COSTCOVER_DATABASE_URL, else the private cluster under the project's var/ folder, which
// ops/pg.sh creates and starts on first use. URIs (postgresql://...) are converted to
// libpq key=value form, because SOCI's PostgreSQL backend rebuilds the string on spaces.
#pragma once

#include <memory>
#include <string>

#include <soci/soci.h>

namespace costcover::db {

struct ConnectionOptions {
  std::string url;  // as given; empty: the private cluster
  // The private cluster is announced on stderr ("costcover: database: the private
  // PostgreSQL of TREE (TREE/var)"), once, before the job says anything else; `db url`,
  // which prints the string itself, turns it off.
  bool announce_private = true;
};

// "postgresql://user:pw@host:5432/db?sslmode=disable" -> "host=host port=5432 ...".
// key=value strings pass through unchanged. Throws std::invalid_argument on a bad URI.
[[nodiscard]] std::string to_keyword_form(const std::string& url);

// The connection string to use: options.url, else $COSTCOVER_DATABASE_URL, else the
// private cluster (started through ops/pg.sh if it is not running).
[[nodiscard]] std::string resolve_connection_string(const ConnectionOptions& options);

// A session with the time zone set to UTC and client encoding UTF8. Retries a refused
// connection a few times (the server may be starting).
[[nodiscard]] std::unique_ptr<soci::session> connect(const std::string& connection_string);

// Sets what every session of the program needs (UTC, UTF8, the dead-client check).
void prepare_session(soci::session& session);

// Connects the session again to the same database (after a lost connection) and prepares
// it; false when the database cannot be reached.
[[nodiscard]] bool reconnect(soci::session& session);

// The libpq connection behind a SOCI session, for COPY.
[[nodiscard]] void* native_pgconn(soci::session& session);  // PGconn*

// Runs every numbered migration under sql/ that is not yet recorded, each in its own
// transaction, in order; returns how many ran. Takes an advisory lock while it works.
int migrate(soci::session& session, const std::string& sql_dir);

// The project's tree (sql/, contracts/, ops/): $COSTCOVER_HOME if set, else the tree the
// running program lies in (the nearest folder above it holding ops/pg.sh), else the tree it
// was built from if that still holds ops/pg.sh; throws when none is found. A copied or
// moved tree's program so uses its own var/ (its own private database), never the old one.
[[nodiscard]] std::string project_dir();

}  // namespace costcover::db
