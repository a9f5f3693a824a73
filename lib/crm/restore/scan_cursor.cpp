#include "crm/restore/scan_cursor.hpp"

namespace crm::restore {

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
  batch.reserve(m_batch_rows);
  try {
    scan([&](store::RecordId id, std::span<const std::string_view> values) {
      ScannedRow row;
      row.id = id;
      row.values.assign(values.begin(), values.end());
      batch.push_back(std::move(row));
      if (batch.size() >= m_batch_rows) {
        push(std::move(batch));
        batch = Batch();
        batch.reserve(m_batch_rows);
      }
    });
    if (!batch.empty())
      push(std::move(batch));
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

void ScanCursor::push(Batch&& batch)
{
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return m_is_stopping || m_queue.size() < m_max_batches; });
  if (m_is_stopping)
    throw StopScan{};
  m_queue.push_back(std::move(batch));
  lock.unlock();
  m_changed.notify_all();
}

void ScanCursor::fill()
{
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return !m_queue.empty() || m_is_done; });
  if (!m_queue.empty()) {
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
  while (!m_is_at_end && m_position >= m_batch.size())
    fill();
  return m_is_at_end ? nullptr : &m_batch[m_position];
}

void ScanCursor::advance()
{
  if (current() != nullptr)
    ++m_position;
}

}  // namespace crm::restore
