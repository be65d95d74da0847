// costcover db migrate / db url: the schema and where the database is.
#include <iostream>

#include "cli/command.hpp"
#include "db/connection.hpp"
#include "store/calendar.hpp"

namespace costcover::cli {
namespace {

int run_migrate(Context& context, Args& args) {
  args.positionals(0, 0);
  auto session = db::connect(db::resolve_connection_string(context.db));
  const int applied = db::migrate(*session, db::project_dir() + "/sql");
  const int days = store::ensure_calendar(*session, store::kCalendarBaseYear, store::kCalendarLastYear);
  std::cout << (applied == 0 ? "database is up to date" : std::to_string(applied) + " migration(s) applied")
            << (days > 0 ? ", business calendar filled (" + std::to_string(days) + " days)" : "") << '\n';
  return 0;
}

int run_url(Context& context, Args& args) {
  args.positionals(0, 0);
  context.db.announce_private = false;  // the string printed names the cluster
  std::cout << db::resolve_connection_string(context.db) << '\n';
  return 0;
}

COSTCOVER_COMMAND("db migrate", "create or update the database schema (idempotent)",
                  "Usage: costcover db migrate\n\n"
                  "Applies every numbered migration under sql/ that the database has not yet recorded,\n"
                  "each in its own transaction, and fills the Finnish business-day calendar.\n"
                  "Running it again changes nothing.\n",
                  run_migrate);
COSTCOVER_COMMAND("db url", "print the connection string in use (starts the private cluster if needed)",
                  "Usage: costcover db url\n\nPrints the libpq connection string costcover would use, e.g. for psql.\n",
                  run_url);

}  // namespace
}  // namespace costcover::cli
