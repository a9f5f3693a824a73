#pragma once
// Turns a push-style scan (a function that calls back once per record, like
// store::Reader::scan_records) into a cursor the caller pulls from, so that
// two id-ordered streams can be merge-joined without loading either (restore
// plans pull the store's rows; diff pulls a backup entry's, inflated and
// parsed while the store is scanned on the other core). The scan
// runs on a thread of its own and hands rows over in small batches through a
// bounded queue: memory stays at a few batches, and the second core does the
// reading while the caller compares.
//
// Destroying the cursor before the end stops the scan (its callback throws an
// internal stop signal that unwinds it) and joins the thread. An exception
// from the scan is rethrown to the caller by current().

#include <crm/store/store.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace crm::store {

struct ScannedRow {
  store::RecordId id = 0;
  std::vector<std::string> values;
};

class ScanCursor {
public:
  using Scan = std::function<void(const store::RecordFn& emit)>;

  explicit ScanCursor(Scan scan, std::size_t batch_rows = 256, std::size_t max_batches = 4);
  ~ScanCursor();
  ScanCursor(const ScanCursor&) = delete;
  ScanCursor& operator=(const ScanCursor&) = delete;

  // The row under the cursor; nullptr once the scan is over.
  const ScannedRow* current();
  void advance();

private:
  // Rows [0, size) are the batch's; rows past it are spent ones kept for
  // their memory: a batch handed back is filled again by assigning over its
  // strings, so a long scan allocates only for its first few batches.
  struct Batch {
    std::vector<ScannedRow> rows;
    std::size_t size = 0;
  };
  void run(const Scan& scan);
  void push(Batch& batch);
  void fill();

  std::size_t m_batch_rows;
  std::size_t m_max_batches;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Batch> m_queue;
  std::vector<Batch> m_spent;  // pulled batches handed back to the scan
  bool m_is_done = false;
  bool m_is_stopping = false;
  std::exception_ptr m_error;
  Batch m_batch;
  std::size_t m_position = 0;
  bool m_is_at_end = false;
  std::thread m_thread;
};

}  // namespace crm::store
