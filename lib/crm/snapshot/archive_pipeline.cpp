#include <crm/base/error.hpp>
#include <crm/snapshot/archive_pipeline.hpp>

namespace crm::snapshot {

ArchivePipeline::ArchivePipeline(int fd, std::string what, const archive::ZipWriterOptions& options,
                                 std::size_t queue_chunks)
    : m_zip(fd, std::move(what), options), m_queue(queue_chunks)
{
  m_thread = std::thread([this] { run(); });
}

ArchivePipeline::~ArchivePipeline()
{
  m_queue.cancel();
  if (m_thread.joinable())
    m_thread.join();
}

void ArchivePipeline::run() noexcept
{
  try {
    Chunk chunk;
    while (m_queue.pop(chunk)) {
      switch (chunk.kind) {
      case Chunk::Kind::begin_entry: m_zip.begin_entry(chunk.text); break;
      case Chunk::Kind::data: m_zip.write(chunk.text); break;
      case Chunk::Kind::end_entry: m_zip.end_entry(); break;
      case Chunk::Kind::finish: m_zip.close(); return;
      }
    }
  } catch (...) {
    m_writer_error = std::current_exception();
    m_queue.cancel();
  }
}

void ArchivePipeline::rethrow_writer_error()
{
  // The queue is cancelled only by the writing thread's failure or by our own
  // destructor; joining makes m_writer_error visible here.
  if (m_thread.joinable())
    m_thread.join();
  if (m_writer_error)
    std::rethrow_exception(m_writer_error);
  throw Error(ErrorKind::internal, "the archive writer stopped unexpectedly");
}

void ArchivePipeline::push(Chunk chunk)
{
  if (m_is_finished)
    throw Error(ErrorKind::internal, "write to a finished archive");
  if (!m_queue.push(std::move(chunk)))
    rethrow_writer_error();
}

void ArchivePipeline::begin_entry(std::string_view name) { push({Chunk::Kind::begin_entry, std::string(name)}); }

void ArchivePipeline::write(std::string_view data)
{
  if (!data.empty())
    push({Chunk::Kind::data, std::string(data)});
}

void ArchivePipeline::end_entry() { push({Chunk::Kind::end_entry, {}}); }

void ArchivePipeline::finish()
{
  push({Chunk::Kind::finish, {}});
  m_is_finished = true;
  m_thread.join();
  if (m_writer_error)
    std::rethrow_exception(m_writer_error);
}

}  // namespace crm::snapshot
