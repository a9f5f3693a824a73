#pragma once
// Worker threads that compress blocks (BlockDeflater) and hand the results
// back in the order the blocks were submitted. The caller decides how many
// blocks may be in flight; memory is that many blocks' input and output.
// A worker's failure (out of memory) is rethrown by take_oldest().

#include <crm/archive/block_deflater.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace crm::archive {

class BlockCompressorPool {
public:
  BlockCompressorPool(std::size_t threads, int level);
  // Stops the workers; blocks not taken are dropped.
  ~BlockCompressorPool();
  BlockCompressorPool(const BlockCompressorPool&) = delete;
  BlockCompressorPool& operator=(const BlockCompressorPool&) = delete;

  // `dictionary`: up to 32 KiB of the entry's input just before `input`.
  void submit(std::string input, std::string dictionary, bool is_last_block);
  // Blocks submitted and not yet taken.
  std::size_t in_flight() const;
  bool is_oldest_done() const;
  // Waits for the oldest block not yet taken and returns it.
  CompressedBlock take_oldest();

private:
  struct Job {
    std::string input;
    std::string dictionary;
    bool is_last_block = false;
    bool is_started = false;
    bool is_done = false;
    CompressedBlock result;
  };

  void work(int level) noexcept;

  mutable std::mutex m_mutex;
  std::condition_variable m_work_ready;  // a job waits for a worker, or the pool stops
  std::condition_variable m_job_done;
  std::deque<std::shared_ptr<Job>> m_jobs;  // submission order; front: oldest not taken
  std::exception_ptr m_failure;
  bool m_is_stopping = false;
  std::vector<std::thread> m_workers;
};

}  // namespace crm::archive
