// Exact rationals and the rounding steps. controlled_round works on the augmented table
//     [ x  | -row totals ]
//     [ -column totals | grand total ]
// whose every row and column sums to zero. While some entry is not an integer, the
// non-integer entries form a bipartite graph (rows x columns) in which every vertex has at
// least two edges (a zero-sum line cannot hold exactly one non-integer), so there is a
// cycle; adding +d, -d, +d, ... around it keeps every line sum at zero, and d is chosen
// as the smallest step that makes some entry an integer without moving any entry past
// its floor or ceiling. Each step removes at least one edge, so it ends, with every entry
// at its original floor or ceiling.
#include "costing/exact.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/errors.hpp"

namespace costcover::costing {

namespace mp = boost::multiprecision;

Rational cents_of(Money amount) { return Rational(amount.cents()); }

Rational rational_of(Decimal value) { return Rational(Integer(value.units()), Integer(Decimal::kOne)); }

Integer floor_of(const Rational& value) {
  const Integer& num = mp::numerator(value);
  const Integer& den = mp::denominator(value);  // always positive
  Integer quotient = num / den;                 // truncates toward zero
  if (num < 0 && quotient * den != num) quotient -= 1;
  return quotient;
}

Integer ceil_of(const Rational& value) { return -floor_of(-value); }

bool is_integer(const Rational& value) { return mp::denominator(value) == 1; }

Integer round_half_away(const Rational& value) {
  if (value < 0) return -round_half_away(-value);
  return floor_of(value + Rational(1, 2));
}

Integer whole_of(const Rational& value) {
  if (!is_integer(value)) throw InvariantError("expected a whole number, got " + value.str());
  return mp::numerator(value);
}

std::int64_t int64_of(const Integer& value) {
  if (value > std::numeric_limits<std::int64_t>::max() || value < std::numeric_limits<std::int64_t>::min())
    throw std::overflow_error("the number " + value.str() + " is out of range");
  return value.convert_to<std::int64_t>();
}

Money money_of(const Integer& cents) { return Money::from_cents(int64_of(cents)); }

Money round_money(const Rational& cents) { return money_of(round_half_away(cents)); }

std::string euros_text(const Rational& cents, int decimals) {
  Integer scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  // cents / 100 in units of 10^-decimals
  const Integer scaled = round_half_away(cents * Rational(scale, 100));
  const bool negative = scaled < 0;
  std::string digits = (negative ? Integer(-scaled) : scaled).str();
  if (decimals > 0) {
    const auto width = static_cast<std::size_t>(decimals);
    if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
    digits.insert(digits.size() - width, 1, '.');
  }
  return (negative ? "-" : "") + digits;
}

std::vector<Integer> round_to_sum(const std::vector<Rational>& exact, const Integer& target) {
  std::vector<Integer> out;
  std::vector<Rational> fractions;
  out.reserve(exact.size());
  fractions.reserve(exact.size());
  Integer floors = 0;
  std::size_t non_integers = 0;
  for (const Rational& value : exact) {
    out.push_back(floor_of(value));
    fractions.push_back(value - Rational(out.back()));
    floors += out.back();
    if (fractions.back() != 0) ++non_integers;
  }
  const Integer leftover = target - floors;
  if (leftover < 0 || leftover > Integer(non_integers))
    throw InvariantError("round_to_sum: cannot round " + std::to_string(exact.size()) + " parts to sum " +
                         target.str() + ": the floors sum to " + floors.str() + " with " +
                         std::to_string(non_integers) + " fractional parts");
  std::vector<std::size_t> order(exact.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return fractions[a] > fractions[b]; });
  const auto count = leftover.convert_to<std::size_t>();
  for (std::size_t k = 0; k < count; ++k) out[order[k]] += 1;
  return out;
}

namespace {

struct Edge {
  std::size_t row;
  std::size_t col;
};

class Rounder {
 public:
  explicit Rounder(std::vector<std::vector<Rational>> augmented)
      : value_(std::move(augmented)), rows_(value_.size()), cols_(value_.front().size()) {
    floor_.resize(rows_);
    ceil_.resize(rows_);
    for (std::size_t r = 0; r < rows_; ++r)
      for (std::size_t c = 0; c < cols_; ++c) {
        floor_[r].push_back(Rational(floor_of(value_[r][c])));
        ceil_[r].push_back(Rational(ceil_of(value_[r][c])));
      }
  }

  std::vector<std::vector<Integer>> run() {
    while (true) {
      const std::vector<Edge> cycle = find_cycle();
      if (cycle.empty()) break;
      shift(cycle);
    }
    std::vector<std::vector<Integer>> out(rows_);
    for (std::size_t r = 0; r < rows_; ++r)
      for (std::size_t c = 0; c < cols_; ++c) {
        if (!is_integer(value_[r][c])) throw InvariantError("controlled_round: an entry stayed fractional");
        out[r].push_back(mp::numerator(value_[r][c]));
      }
    return out;
  }

 private:
  [[nodiscard]] bool active(std::size_t r, std::size_t c) const { return !is_integer(value_[r][c]); }

  // Vertices: rows are 0..rows_-1, columns rows_..rows_+cols_-1.
  [[nodiscard]] std::vector<Edge> find_cycle() const {
    std::size_t start = rows_;
    for (std::size_t r = 0; r < rows_ && start == rows_; ++r)
      for (std::size_t c = 0; c < cols_; ++c)
        if (active(r, c)) {
          start = r;
          break;
        }
    if (start == rows_) return {};
    const std::size_t vertices = rows_ + cols_;
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> position(vertices, kNone);
    std::vector<Edge> edges;
    std::size_t current = start;
    std::size_t steps = 0;
    Edge previous{kNone, kNone};
    while (true) {
      position[current] = edges.size();
      Edge next{kNone, kNone};
      std::size_t next_vertex = kNone;
      if (current < rows_) {
        for (std::size_t c = 0; c < cols_; ++c)
          if (active(current, c) && !(previous.row == current && previous.col == c)) {
            next = {current, c};
            next_vertex = rows_ + c;
            break;
          }
      } else {
        const std::size_t c = current - rows_;
        for (std::size_t r = 0; r < rows_; ++r)
          if (active(r, c) && !(previous.row == r && previous.col == c)) {
            next = {r, c};
            next_vertex = r;
            break;
          }
      }
      if (next_vertex == kNone || ++steps > vertices + 1)
        throw InvariantError("controlled_round: a line does not sum to an integer");
      edges.push_back(next);
      if (position[next_vertex] != kNone)
        return {edges.begin() + static_cast<std::ptrdiff_t>(position[next_vertex]), edges.end()};
      previous = next;
      current = next_vertex;
    }
  }

  // The smallest step d > 0 that, applied as sign * direction * d around the cycle, makes
  // some entry reach its floor or ceiling.
  [[nodiscard]] Rational room(const std::vector<Edge>& cycle, int direction) const {
    Rational best = -1;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      const int sign = (i % 2 == 0 ? 1 : -1) * direction;
      const Edge& e = cycle[i];
      const Rational space =
          sign > 0 ? ceil_[e.row][e.col] - value_[e.row][e.col] : value_[e.row][e.col] - floor_[e.row][e.col];
      if (best < 0 || space < best) best = space;
    }
    return best;
  }

  void shift(const std::vector<Edge>& cycle) {
    const Rational up = room(cycle, 1);
    const Rational down = room(cycle, -1);
    // The shorter move snaps the entry nearest to an integer: 0.9 tends to go up, 0.1 down.
    const int direction = up <= down ? 1 : -1;
    const Rational step = direction > 0 ? up : down;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      const int sign = (i % 2 == 0 ? 1 : -1) * direction;
      Rational& v = value_[cycle[i].row][cycle[i].col];
      v += sign > 0 ? step : Rational(-step);
    }
  }

  std::vector<std::vector<Rational>> value_;
  std::vector<std::vector<Rational>> floor_;
  std::vector<std::vector<Rational>> ceil_;
  std::size_t rows_;
  std::size_t cols_;
};

}  // namespace

std::vector<std::vector<Integer>> controlled_round(const std::vector<std::vector<Rational>>& table) {
  if (table.empty()) return {};
  const std::size_t cols = table.front().size();
  for (const auto& row : table)
    if (row.size() != cols) throw std::invalid_argument("controlled_round: rows of different lengths");
  if (cols == 0) return std::vector<std::vector<Integer>>(table.size());
  const std::size_t rows = table.size();
  std::vector<std::vector<Rational>> augmented(rows + 1, std::vector<Rational>(cols + 1));
  Rational grand = 0;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      augmented[r][c] = table[r][c];
      augmented[r][cols] -= table[r][c];
      augmented[rows][c] -= table[r][c];
      grand += table[r][c];
    }
  augmented[rows][cols] = grand;
  std::vector<std::vector<Integer>> rounded = Rounder(std::move(augmented)).run();
  rounded.pop_back();
  for (auto& row : rounded) row.pop_back();
  return rounded;
}

}  // namespace costcover::costing
