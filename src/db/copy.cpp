#include "db/copy.hpp"

#include <libpq-fe.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "db/connection.hpp"
#include "db/error.hpp"

namespace costcover::db {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
constexpr std::size_t kQueuedBlocks = 4;  // background mode: at most this many blocks wait

void put(PGconn* conn, const std::string& data) {
  if (PQputCopyData(conn, data.data(), static_cast<int>(data.size())) != 1) throw from_libpq(conn, nullptr);
}
}  // namespace

// The background sender: a bounded queue of blocks and the thread that sends them.
struct CopyIn::Sender {
  explicit Sender(PGconn* conn) : thread([this, conn] { run(conn); }) {}
  ~Sender() { stop(); }

  void push(std::string block) {
    std::unique_lock lock(mutex);
    space.wait(lock, [this] { return queue.size() < kQueuedBlocks || error != nullptr; });
    if (error) std::rethrow_exception(error);
    queue.push_back(std::move(block));
    ready.notify_one();
  }
  // Drops the blocks not sent yet (the COPY is being aborted).
  void abandon() {
    std::lock_guard lock(mutex);
    queue.clear();
    space.notify_all();
  }
  // Waits until every block is sent (or sending failed); ends the thread.
  void stop() {
    {
      std::lock_guard lock(mutex);
      closing = true;
      ready.notify_one();
    }
    if (thread.joinable()) thread.join();
  }
  void run(PGconn* conn) {
    while (true) {
      std::string block;
      {
        std::unique_lock lock(mutex);
        ready.wait(lock, [this] { return !queue.empty() || closing; });
        if (queue.empty()) return;
        block = std::move(queue.front());
        queue.pop_front();
        space.notify_one();
      }
      try {
        put(conn, block);
      } catch (...) {
        std::lock_guard lock(mutex);
        error = std::current_exception();
        queue.clear();
        space.notify_all();
        return;
      }
    }
  }

  std::mutex mutex;
  std::condition_variable ready;  // a block is queued, or closing
  std::condition_variable space;  // the queue has room, or sending failed
  std::deque<std::string> queue;
  std::exception_ptr error;  // the failure of sending, a DatabaseError
  bool closing = false;
  std::thread thread;  // last: starts after the members it uses
};

CopyIn::CopyIn(soci::session& session, const std::string& sql, Mode mode) : conn_(native_pgconn(session)) {
  auto* conn = static_cast<PGconn*>(conn_);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn, sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COPY_IN) throw from_libpq(conn, result.get());
  buffer_.reserve(kFlushBytes + 4096);
  if (mode == Mode::background) sender_ = std::make_unique<Sender>(conn);
}

void CopyIn::write(std::string_view data) {
  buffer_.append(data);
  if (buffer_.size() >= kFlushBytes) flush();
}

void CopyIn::flush() {
  if (buffer_.empty()) return;
  if (sender_) {
    std::string block;
    block.reserve(kFlushBytes + 4096);
    block.swap(buffer_);
    sender_->push(std::move(block));
    return;
  }
  put(static_cast<PGconn*>(conn_), buffer_);
  buffer_.clear();
}

long long CopyIn::finish() {
  flush();
  auto* conn = static_cast<PGconn*>(conn_);
  done_ = true;
  if (sender_) {
    sender_->stop();
    const std::exception_ptr error = sender_->error;
    sender_.reset();
    if (error) {
      PQputCopyEnd(conn, "aborted by costcover");
      while (PGresult* result = PQgetResult(conn)) PQclear(result);
      std::rethrow_exception(error);
    }
  }
  if (PQputCopyEnd(conn, nullptr) != 1) throw from_libpq(conn, nullptr);
  return copy_results(conn);
}

long long copy_results(void* connection) {
  auto* conn = static_cast<PGconn*>(connection);
  long long rows = 0;
  std::optional<DatabaseError> failure;
  while (PGresult* result = PQgetResult(conn)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      if (!failure) failure = from_libpq(conn, result);
    } else {
      rows = std::atoll(PQcmdTuples(result));
    }
    PQclear(result);
  }
  if (failure) throw *failure;
  return rows;
}

CopyIn::~CopyIn() {
  if (sender_) sender_->abandon();
  sender_.reset();  // waits for the block being sent
  if (done_) return;
  auto* conn = static_cast<PGconn*>(conn_);
  PQputCopyEnd(conn, "aborted by costcover");
  while (PGresult* result = PQgetResult(conn)) PQclear(result);
}

void append_copy_text(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace costcover::db
