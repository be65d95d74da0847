// The key rules of a load, the SQL function ingest_key_outcome() (sql/060_ingest_rules.sql),
// run directly on prepared rows of ingest_special: one case per line of the decision table
// in the migration's header, each with the outcome and the reason of every row. Every row of
// a case has the key "T-1"; a case with several rows has them flagged as repeated, as the
// loader's repeat filter does; `stored` is the key's stored transaction (load 7, line 12).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "db/query.hpp"
#include "test_database.hpp"

namespace costcover {
namespace {

using testing::TestDatabase;

// The reference content; a row may differ from it in one field (or two: "agency+quantity").
constexpr const char* kAgency = "KTL";
constexpr const char* kService = "purchase-invoice";
constexpr const char* kReceived = "2027-01-03T08:15:00+02:00";
constexpr const char* kDelivered = "2027-01-05T14:02:11+02:00";
constexpr int kQuantity = 1;
constexpr const char* kTags = "";

struct Row {
  long long line = 0;
  bool cancelled = false;
  // The field(s) whose value is not the reference's ("" none); "offset": delivered_at
  // written with another offset, the same instant.
  std::string differs;
};

struct Stored {
  bool cancelled = false;
};

struct Outcome {
  long long line = 0;
  std::string outcome;
  std::string reason;  // "" for none
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& o) {
  return out << o.line << " " << o.outcome << " [" << o.reason << "]";
}

struct Case {
  std::string name;
  std::optional<Stored> stored;
  std::vector<Row> rows;
  std::vector<Outcome> expected;  // in line order
};

bool differs(const Row& row, const std::string& field) { return row.differs.find(field) != std::string::npos; }

void insert(soci::session& session, const Row& row, bool repeated, const std::optional<Stored>& stored) {
  const auto text = [](bool other, const std::string& value, const std::string& changed) {
    return other ? changed : value;
  };
  db::exec(session,
           "INSERT INTO ingest_special (line, byte_offset, byte_length, txn_id, agency, service, received_at, "
           "delivered_at, received_day, delivered_day, quantity, tags, cancelled, repeated, e_exists, e_cancelled, "
           "e_agency, e_service, e_received_at, e_delivered_at, e_quantity, e_tags, e_day, e_load_id, e_line) "
           "VALUES ($1::bigint, $1::bigint * 100, 90, 'T-1', $2, $3, $4, $5, '2027-01-03', '2027-01-05', $6, $7, $8, "
           "$9, $10::boolean, $11, "
           "CASE WHEN $10 THEN $12 END, CASE WHEN $10 THEN $13 END, CASE WHEN $10 THEN $14::timestamptz END, "
           "CASE WHEN $10 THEN $15::timestamptz END, CASE WHEN $10 THEN $16::integer END, CASE WHEN $10 THEN $17 END, "
           "CASE WHEN $10 THEN DATE '2027-01-05' END, CASE WHEN $10 THEN 7 END, CASE WHEN $10 THEN 12 END)",
           {std::to_string(row.line), text(differs(row, "agency"), kAgency, "VM"),
            text(differs(row, "service"), kService, "payslip"),
            text(differs(row, "received_at"), kReceived, "2027-01-03T08:16:00+02:00"),
            differs(row, "delivered_at") ? "2027-01-05T15:02:11+02:00"
            : differs(row, "offset")     ? "2027-01-05T15:02:11+03:00"  // the same instant
                                         : kDelivered,
            text(differs(row, "quantity"), std::to_string(kQuantity), "2"), text(differs(row, "tags"), kTags, "rework"),
            row.cancelled ? "true" : "false", repeated ? "true" : "false", stored ? "true" : "false",
            stored && stored->cancelled ? "true" : "false", kAgency, kService, kReceived, kDelivered,
            std::to_string(kQuantity), kTags});
}

std::vector<Outcome> outcomes(soci::session& session) {
  const db::Rows rows =
      db::query(session, "SELECT line, outcome, coalesce(reason, '') FROM ingest_key_outcome() ORDER BY line");
  std::vector<Outcome> out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.push_back({std::stoll(rows.text(r, 0)), rows.text(r, 1), rows.text(r, 2)});
  }
  return out;
}

std::string stored_conflict(const std::string& field) {
  return "conflicting duplicate: txn_id \"T-1\" was accepted in load 7 (line 12) with a different " + field;
}
std::string file_conflict(long long line, const std::string& field) {
  return "conflicting duplicate: txn_id \"T-1\" was accepted from line " + std::to_string(line) +
         " of this file with a different " + field;
}
std::string before_its_transaction(long long line) {
  return "cancellation before its transaction: txn_id \"T-1\" is delivered after it, at line " + std::to_string(line) +
         " of this file";
}
const std::string kUnknown = "cancellation of unknown transaction: no earlier row or load delivered txn_id \"T-1\"";

std::vector<Case> cases() {
  std::vector<Case> all = {
      // Delivered rows against a stored transaction.
      {"stored, same content: duplicate", Stored{}, {{2, false, ""}}, {{2, "duplicate", ""}}},
      {"stored and cancelled, same content: duplicate (not revived)",
       Stored{true},
       {{2, false, ""}},
       {{2, "duplicate", ""}}},
      {"stored, delivered_at at another offset but the same instant: duplicate",
       Stored{},
       {{2, false, "offset"}},
       {{2, "duplicate", ""}}},
      {"two differing fields: the first in the order is named",
       Stored{},
       {{2, false, "agency+quantity"}},
       {{2, "conflict", stored_conflict("agency")}}},
      // Delivered rows, nothing stored.
      {"the key's first delivered row: accepted", std::nullopt, {{2, false, ""}}, {{2, "accepted", ""}}},
      {"a later row with the same content: duplicate",
       std::nullopt,
       {{2, false, ""}, {5, false, ""}},
       {{2, "accepted", ""}, {5, "duplicate", ""}}},
      // Cancellations.
      {"cancels a stored transaction", Stored{}, {{2, true, ""}}, {{2, "cancels", ""}}},
      {"cancels the transaction of an earlier line",
       std::nullopt,
       {{2, false, ""}, {3, true, ""}},
       {{2, "accepted", ""}, {3, "cancels", ""}}},
      {"cancels a stored transaction after its re-delivered row",
       Stored{},
       {{2, false, ""}, {3, true, ""}},
       {{2, "duplicate", ""}, {3, "cancels", ""}}},
      {"a repeated cancellation (earlier line): the first cancels, the next is a duplicate",
       std::nullopt,
       {{2, false, ""}, {3, true, ""}, {4, true, ""}},
       {{2, "accepted", ""}, {3, "cancels", ""}, {4, "duplicate", ""}}},
      {"a repeated cancellation (stored): the first cancels, the next is a duplicate",
       Stored{},
       {{3, true, ""}, {4, true, ""}},
       {{3, "cancels", ""}, {4, "duplicate", ""}}},
      {"a cancellation of a cancelled stored transaction: duplicate",
       Stored{true},
       {{2, true, ""}},
       {{2, "duplicate", ""}}},
      {"cancellation of unknown transaction", std::nullopt, {{2, true, ""}}, {{2, "unknown_cancellation", kUnknown}}},
      {"cancellation of unknown transaction, twice",
       std::nullopt,
       {{2, true, ""}, {3, true, ""}},
       {{2, "unknown_cancellation", kUnknown}, {3, "unknown_cancellation", kUnknown}}},
      {"cancellation before its transaction (earlier in the file)",
       std::nullopt,
       {{2, true, ""}, {3, false, ""}},
       {{2, "unknown_cancellation", before_its_transaction(3)}, {3, "accepted", ""}}},
      {"cancellation before its transaction (stored, re-delivered after it)",
       Stored{},
       {{2, true, ""}, {3, false, ""}, {4, true, ""}},
       {{2, "unknown_cancellation", before_its_transaction(3)}, {3, "duplicate", ""}, {4, "cancels", ""}}},
  };
  // A conflict names each field that can differ, against the stored transaction and
  // against an earlier line of the file.
  for (const std::string field : {"agency", "service", "received_at", "delivered_at", "quantity", "tags"}) {
    all.push_back({"stored, other " + field + ": conflict",
                   Stored{},
                   {{2, false, field}},
                   {{2, "conflict", stored_conflict(field)}}});
    all.push_back({"a later row with another " + field + ": conflict",
                   std::nullopt,
                   {{2, false, ""}, {5, false, field}},
                   {{2, "accepted", ""}, {5, "conflict", file_conflict(2, field)}}});
  }
  return all;
}

TEST(KeyRules, EachOutcomeOfTheDecisionTable) {
  TestDatabase db;
  soci::session& session = db.session();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    db::exec(session, "TRUNCATE ingest_special");
    for (const Row& row : c.rows) insert(session, row, c.rows.size() > 1, c.stored);
    EXPECT_EQ(outcomes(session), c.expected);
  }
}

// Several keys at once are judged each on its own (the windows partition by key).
TEST(KeyRules, KeysAreJudgedApart) {
  TestDatabase db;
  soci::session& session = db.session();
  insert(session, {2, false, ""}, true, std::nullopt);
  insert(session, {4, true, ""}, true, std::nullopt);
  db::exec(session, "UPDATE ingest_special SET txn_id = 'T-2' WHERE line = 4");
  EXPECT_EQ(outcomes(session),
            (std::vector<Outcome>{{2, "accepted", ""},
                                  {4, "unknown_cancellation",
                                   "cancellation of unknown transaction: no earlier row or load delivered txn_id "
                                   "\"T-2\""}}));
}

// The function is inlined into the statement that calls it, so it is planned afresh with
// each load's statistics (no function scan, no cached generic plan), and the single-row
// keys skip the window functions: ingest_special is read twice, once below a WindowAgg.
TEST(KeyRules, FunctionIsInlinedIntoItsCaller) {
  TestDatabase db;
  const db::Rows plan = db::query(db.session(), "EXPLAIN SELECT * FROM ingest_key_outcome()");
  std::string text;
  for (std::size_t r = 0; r < plan.size(); ++r) text += plan.text(r, 0) + "\n";
  EXPECT_EQ(text.find("Function Scan"), std::string::npos) << text;
  EXPECT_NE(text.find("WindowAgg"), std::string::npos) << text;
  EXPECT_NE(text.find("Append"), std::string::npos) << text;
}

}  // namespace
}  // namespace costcover
