#include "crm/store/scan_cursor.hpp"

namespace crm::store {

namespace {
struct StopScan {};
}  // namespace

ScanCursor::ScanCursor(Scan scan, std::size_t batch_rows, std::size_t max_batches)
    : m_batch_rows(batch_rows), m_max_batches(max_batches)
{
  m_thread = std::thread([this, scan = std::move(scan)] { run(scan); });
}

ScanCursor::~ScanCursor()
{
  {
    std::lock_guard lock(m_mutex);
    m_is_stopping = true;
  }
  m_changed.notify_all();
  m_thread.join();
}

void ScanCursor::run(const Scan& scan)
{
  Batch batch;
  try {
    scan([&](store::RecordId id, std::span<const std::string_view> values) {
      if (batch.size == batch.rows.size())
        batch.rows.emplace_back();
      ScannedRow& row = batch.rows[batch.size++];
      row.id = id;
      row.values.resize(values.size());
      for (std::size_t index = 0; index < values.size(); ++index)
        row.values[index].assign(values[index]);
      if (batch.size >= m_batch_rows)
        push(batch);
    });
    if (batch.size > 0)
      push(batch);
  } catch (const StopScan&) {
  } catch (...) {
    std::lock_guard lock(m_mutex);
    m_error = std::current_exception();
  }
  {
    std::lock_guard lock(m_mutex);
    m_is_done = true;
  }
  m_changed.notify_all();
}

// Queues `batch` and leaves in it a spent one to fill next (or an empty one).
void ScanCursor::push(Batch& batch)
{
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return m_is_stopping || m_queue.size() < m_max_batches; });
  if (m_is_stopping)
    throw StopScan{};
  m_queue.push_back(std::move(batch));
  batch = Batch();
  if (!m_spent.empty()) {
    batch = std::move(m_spent.back());
    m_spent.pop_back();
    batch.size = 0;
  }
  lock.unlock();
  m_changed.notify_all();
}

void ScanCursor::fill()
{
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return !m_queue.empty() || m_is_done; });
  if (!m_queue.empty()) {
    if (m_spent.size() < m_max_batches)
      m_spent.push_back(std::move(m_batch));
    m_batch = std::move(m_queue.front());
    m_queue.pop_front();
    m_position = 0;
    lock.unlock();
    m_changed.notify_all();
    return;
  }
  if (m_error)
    std::rethrow_exception(m_error);
  m_is_at_end = true;
}

const ScannedRow* ScanCursor::current()
{
  while (!m_is_at_end && m_position >= m_batch.size)
    fill();
  return m_is_at_end ? nullptr : &m_batch.rows[m_position];
}

void ScanCursor::advance()
{
  if (current() != nullptr)
    ++m_position;
}

}  // namespace crm::store
