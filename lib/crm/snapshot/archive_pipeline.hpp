#pragma once
// Writes a zip on a second thread. Compression dominates the cost of a backup
// (docs/performance.md); the caller's thread reads rows and formats CSV while
// this pipeline's thread feeds the ZipWriter, joined by a bounded ChunkQueue
// so memory stays flat.
//
// The caller's calls mirror ZipWriter's. An error on the writing thread (disk
// full) is rethrown on the caller's thread by the next call. Destroying an
// unfinished pipeline stops the thread and leaves the zip incomplete; the
// caller discards the file.

#include <crm/archive/zip_writer.hpp>
#include <crm/snapshot/chunk_queue.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <thread>

namespace crm::snapshot {

class ArchivePipeline {
public:
  ArchivePipeline(int fd, std::string what, const archive::ZipWriterOptions& options, std::size_t queue_chunks = 4);
  ~ArchivePipeline();
  ArchivePipeline(const ArchivePipeline&) = delete;
  ArchivePipeline& operator=(const ArchivePipeline&) = delete;

  void begin_entry(std::string_view name);
  void write(std::string_view data);
  void end_entry();
  // Waits until the zip is complete, central directory included.
  void finish();

private:
  void push(Chunk chunk);
  void run() noexcept;
  [[noreturn]] void rethrow_writer_error();

  archive::ZipWriter m_zip;
  ChunkQueue m_queue;
  std::exception_ptr m_writer_error;  // set by the writing thread before it cancels the queue
  bool m_is_finished = false;
  std::thread m_thread;
};

}  // namespace crm::snapshot
