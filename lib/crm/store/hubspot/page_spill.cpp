#include "crm/store/hubspot/page_spill.hpp"

#include <crm/base/error.hpp>
#include <crm/base/private_temp_file.hpp>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace crm::store::hubspot {

namespace {

// A page in the file: its byte length (u64), its record count (u64), then
// per record the id (i64) and per value its length (u32) and bytes.
template <typename Number> void put(std::string& out, Number value)
{
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename Number> Number take(const char*& in)
{
  Number value;
  std::memcpy(&value, in, sizeof value);
  in += sizeof value;
  return value;
}

void read_exactly(int fd, char* out, std::size_t size, std::uint64_t offset)
{
  while (size > 0) {
    const ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      throw_errno(got < 0 ? errno : EIO, "read the records fetched ahead from", "$TMPDIR");
    out += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
}

}  // namespace

PageSpill::PageSpill(std::size_t width)
    : m_fd(open_private_temp_file("a file for the records fetched ahead")), m_width(width)
{
}

PageSpill::~PageSpill() { ::close(m_fd); }

void PageSpill::append(const RecordPage& page)
{
  std::string block;
  put<std::uint64_t>(block, 0);
  put<std::uint64_t>(block, page.ids.size());
  for (std::size_t row = 0; row < page.ids.size(); ++row) {
    put<std::int64_t>(block, page.ids[row]);
    for (std::size_t column = 0; column < m_width; ++column) {
      const std::string& value = page.values[row * m_width + column];
      put<std::uint32_t>(block, static_cast<std::uint32_t>(value.size()));
      block += value;
    }
  }
  const std::uint64_t size = block.size();
  std::memcpy(block.data(), &size, sizeof size);
  // Only the producer writes, always at the end: the consumer reads below
  // m_committed, which moves only after the whole page is in the file.
  write_all(m_fd, block, "the records fetched ahead");
  std::lock_guard lock(m_mutex);
  m_committed += size;
  m_changed.notify_all();
}

void PageSpill::finish(std::exception_ptr error)
{
  std::lock_guard lock(m_mutex);
  m_is_finished = true;
  m_error = std::move(error);
  m_changed.notify_all();
}

void PageSpill::replay(const RecordFn& fn)
{
  std::uint64_t offset = 0;
  std::string block;
  std::vector<std::string_view> row(m_width);
  for (;;) {
    {
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [&] { return m_committed > offset || m_is_finished; });
      if (m_committed == offset) {
        if (m_error)
          std::rethrow_exception(m_error);
        return;
      }
    }
    std::uint64_t size = 0;
    read_exactly(m_fd, reinterpret_cast<char*>(&size), sizeof size, offset);
    block.resize(size);
    read_exactly(m_fd, block.data(), size, offset);
    offset += size;
    const char* in = block.data() + sizeof(std::uint64_t);
    const auto count = take<std::uint64_t>(in);
    for (std::uint64_t record = 0; record < count; ++record) {
      const auto id = take<std::int64_t>(in);
      for (std::size_t column = 0; column < m_width; ++column) {
        const auto length = take<std::uint32_t>(in);
        row[column] = std::string_view(in, length);
        in += length;
      }
      fn(id, row);
    }
  }
}

}  // namespace crm::store::hubspot
