#pragma once
// A bounded queue of archive chunks between the thread that formats CSV and
// the thread that compresses it. The bound (a few ~1 MiB chunks) keeps memory
// flat however large the store: a producer that gets ahead waits.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

namespace crm::snapshot {

struct Chunk {
  enum class Kind { begin_entry, data, end_entry, finish };
  Kind kind = Kind::data;
  std::string text;  // the entry name for begin_entry, the bytes for data
};

class ChunkQueue {
public:
  explicit ChunkQueue(std::size_t capacity) : m_capacity(capacity) {}

  // Waits while the queue is full. False when the queue was cancelled: the
  // chunk was dropped.
  bool push(Chunk chunk);
  // Waits for a chunk. False when the queue was cancelled.
  bool pop(Chunk& chunk);
  // Wakes both sides; every later push and pop returns false.
  void cancel();

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Chunk> m_chunks;
  std::size_t m_capacity;
  bool m_is_cancelled = false;
};

}  // namespace crm::snapshot
