#include "crm/archive/block_compressor_pool.hpp"

#include <crm/base/error.hpp>

namespace crm::archive {

BlockCompressorPool::BlockCompressorPool(std::size_t threads, int level)
{
  if (threads == 0)
    throw Error(ErrorKind::internal, "a block compressor pool needs at least one thread");
  m_workers.reserve(threads);
  try {
    for (std::size_t index = 0; index < threads; ++index)
      m_workers.emplace_back([this, level] { work(level); });
  } catch (...) {
    {
      const std::lock_guard lock(m_mutex);
      m_is_stopping = true;
    }
    m_work_ready.notify_all();
    for (auto& worker : m_workers)
      worker.join();
    throw;
  }
}

BlockCompressorPool::~BlockCompressorPool()
{
  {
    const std::lock_guard lock(m_mutex);
    m_is_stopping = true;
  }
  m_work_ready.notify_all();
  for (auto& worker : m_workers)
    worker.join();
}

void BlockCompressorPool::work(int level) noexcept
{
  std::unique_ptr<BlockDeflater> deflater;
  try {
    deflater = std::make_unique<BlockDeflater>(level);
  } catch (...) {
    const std::lock_guard lock(m_mutex);
    if (!m_failure)
      m_failure = std::current_exception();
    m_job_done.notify_all();
    return;
  }
  std::unique_lock lock(m_mutex);
  for (;;) {
    std::shared_ptr<Job> job;
    m_work_ready.wait(lock, [&] {
      if (m_is_stopping)
        return true;
      for (const auto& candidate : m_jobs)
        if (!candidate->is_started)
          return true;
      return false;
    });
    if (m_is_stopping)
      return;
    for (const auto& candidate : m_jobs) {
      if (!candidate->is_started) {
        job = candidate;
        break;
      }
    }
    job->is_started = true;
    lock.unlock();
    try {
      CompressedBlock result = deflater->compress(job->input, job->dictionary, job->is_last_block);
      std::string().swap(job->input);  // release the input now, not when the block is taken
      lock.lock();
      job->result = std::move(result);
    } catch (...) {
      lock.lock();
      if (!m_failure)
        m_failure = std::current_exception();
    }
    job->is_done = true;
    m_job_done.notify_all();
  }
}

void BlockCompressorPool::submit(std::string input, std::string dictionary, bool is_last_block)
{
  auto job = std::make_shared<Job>();
  job->input = std::move(input);
  job->dictionary = std::move(dictionary);
  job->is_last_block = is_last_block;
  {
    const std::lock_guard lock(m_mutex);
    m_jobs.push_back(std::move(job));
  }
  m_work_ready.notify_one();
}

std::size_t BlockCompressorPool::in_flight() const
{
  const std::lock_guard lock(m_mutex);
  return m_jobs.size();
}

bool BlockCompressorPool::is_oldest_done() const
{
  const std::lock_guard lock(m_mutex);
  return (!m_jobs.empty() && m_jobs.front()->is_done) || m_failure;
}

CompressedBlock BlockCompressorPool::take_oldest()
{
  std::unique_lock lock(m_mutex);
  if (m_jobs.empty())
    throw Error(ErrorKind::internal, "no compressed block to take");
  m_job_done.wait(lock, [&] { return m_failure || m_jobs.front()->is_done; });
  if (m_failure)
    std::rethrow_exception(m_failure);
  CompressedBlock result = std::move(m_jobs.front()->result);
  m_jobs.pop_front();
  return result;
}

}  // namespace crm::archive
