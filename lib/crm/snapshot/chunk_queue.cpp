#include <crm/snapshot/chunk_queue.hpp>

namespace crm::snapshot {

bool ChunkQueue::push(Chunk chunk)
{
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_is_cancelled || m_chunks.size() < m_capacity; });
  if (m_is_cancelled)
    return false;
  m_chunks.push_back(std::move(chunk));
  m_changed.notify_all();
  return true;
}

bool ChunkQueue::pop(Chunk& chunk)
{
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_is_cancelled || !m_chunks.empty(); });
  if (m_is_cancelled)
    return false;
  chunk = std::move(m_chunks.front());
  m_chunks.pop_front();
  m_changed.notify_all();
  return true;
}

void ChunkQueue::cancel()
{
  std::lock_guard lock(m_mutex);
  m_is_cancelled = true;
  m_chunks.clear();
  m_changed.notify_all();
}

}  // namespace crm::snapshot
