#pragma once
// The records of one object type fetched ahead of the backup that will write
// them (HubSpotSession::will_scan): one thread appends pages to an unlinked
// 0600 file, the backup follows it when it reaches the type, waiting where
// it catches up. Memory holds a page; the file holds what is ahead.

#include <crm/store/hubspot/record_pages.hpp>
#include <crm/store/store.hpp>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>

namespace crm::store::hubspot {

class PageSpill {
public:
  explicit PageSpill(std::size_t width);
  ~PageSpill();
  PageSpill(const PageSpill&) = delete;
  PageSpill& operator=(const PageSpill&) = delete;

  // The producer: each page, then finish once (with the error that ended it,
  // or nullptr after the last page).
  void append(const RecordPage& page);
  void finish(std::exception_ptr error);

  // The consumer: every record, in order, as the producer writes them;
  // rethrows the producer's error where it stopped.
  void replay(const RecordFn& fn);

private:
  int m_fd;
  std::size_t m_width;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::uint64_t m_committed = 0;  // bytes of whole pages in the file
  bool m_is_finished = false;
  std::exception_ptr m_error;
};

}  // namespace crm::store::hubspot
