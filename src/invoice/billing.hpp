// The monthly billing's values: whether a month may be billed.
#pragma once

#include <cstdint>

namespace costcover::invoice {

// Whether a month may be billed: input the nightly job has not counted, and rejected rows
// nobody resolved (sql/061_billing_readiness.sql has the rules).
struct Readiness {
  std::int64_t uncounted_days = 0;      // (agency, service, day) keys up to the month's last day
  std::int64_t unresolved_rejects = 0;  // rejected rows of the month
  [[nodiscard]] bool ready() const { return uncounted_days == 0 && unresolved_rejects == 0; }
};

}  // namespace costcover::invoice
