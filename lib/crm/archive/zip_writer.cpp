// ZipWriter: our own zip container around parallel deflate.
//
// The caller's thread cuts each entry into blocks and submits them to a
// BlockCompressorPool; everything that must be written in order -- local
// headers, compressed blocks, AES encryption and MAC, data descriptors -- is
// a queue of pieces that the same thread writes as soon as the piece at its
// front is ready, so the file is written while workers compress ahead. At
// most two blocks per worker are in flight; the caller waits for the oldest
// one beyond that.
//
// An entry's block boundaries fall every k_zip_block_bytes of its input,
// whatever the sizes of the write() calls, and a full block is held back
// until more input arrives, so the last block (the one deflate finishes) is
// never empty. Each block's CRC-32 is computed by its worker and combined in
// order. The AES key stream and the MAC run on the writing thread: they are
// sequential by nature (the MAC) or need the block's offset in the entry (the
// counter), and together cost about 1% of compressing.
//
// Layout of every entry: local header (bit 3, Zip64 extra of zeros), for AES
// the salt and verifier, the data, for AES the MAC, then a data descriptor
// with the CRC-32 and 64-bit sizes. An empty entry is stored (method 0).

#include "crm/archive/zip_writer.hpp"

#include <crm/archive/block_compressor_pool.hpp>
#include <crm/archive/winzip_aes_encryptor.hpp>
#include <crm/archive/zip_reader.hpp>
#include <crm/archive/zip_records.hpp>
#include <crm/base/error.hpp>

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <deque>
#include <thread>
#include <unistd.h>
#include <vector>

namespace crm::archive {
namespace {

constexpr std::size_t k_blocks_in_flight_per_thread = 2;

std::string system_random_bytes(std::size_t count)
{
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
    throw Error(ErrorKind::internal, "cannot draw random bytes for an AES salt", "check the OpenSSL installation");
  return bytes;
}

std::size_t thread_count(std::size_t wanted)
{
  if (wanted > 0)
    return wanted;
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace

struct ZipWriter::State {
  enum class PieceKind { entry_start, block, entry_end };

  int fd = -1;
  std::string what;
  ZipWriterOptions options;
  std::uint32_t dos_time = 0;
  std::unique_ptr<BlockCompressorPool> pool;
  std::size_t max_blocks_in_flight = 0;

  bool is_in_entry = false;
  bool is_closed = false;
  bool is_failed = false;

  // The entry being submitted.
  std::string block;       // input of the block being filled
  std::string dictionary;  // the last 32 KiB of the entry's input before `block`
  bool is_entry_started = false;

  // Pieces waiting to be written, oldest first; blocks in the pool's order.
  std::deque<PieceKind> pieces;
  // Every entry begun; the front of `pieces` belongs to entries[written_entry].
  std::vector<ZipEntryRecord> entries;
  std::size_t written_entry = 0;
  std::unique_ptr<WinZipAesEncryptor> encryptor;  // the written entry's, when encrypted
  std::uint64_t offset = 0;                       // bytes written so far

  [[noreturn]] void fail_internal(std::string_view problem)
  {
    throw Error(ErrorKind::internal, fmt::format("cannot write archive {}: {}", what, problem));
  }

  void check_usable()
  {
    if (is_failed)
      fail_internal("an earlier write failed");
    if (is_closed)
      fail_internal("it is already closed");
  }

  // Runs a public operation; any failure leaves the writer unusable.
  template <typename Operation> void guarded(Operation operation)
  {
    check_usable();
    try {
      operation();
    } catch (...) {
      is_failed = true;
      throw;
    }
  }

  void write_out(std::string_view bytes)
  {
    const std::string_view all = bytes;
    while (!bytes.empty()) {
      const ssize_t written = ::write(fd, bytes.data(), std::min<std::size_t>(bytes.size(), INT_MAX));
      if (written < 0) {
        if (errno == EINTR)
          continue;
        throw_errno(errno, "write archive", what);
      }
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    offset += all.size();
    if (options.on_output)
      options.on_output(all);
  }

  // --- the writing side: pieces in order -----------------------------------

  void write_entry_start(ZipEntryRecord& entry)
  {
    entry.local_header_offset = offset;
    write_out(local_header(entry));
    if (entry.is_encrypted) {
      const std::string salt = options.random_bytes ? options.random_bytes(WinZipAesEncryptor::k_salt_bytes)
                                                    : system_random_bytes(WinZipAesEncryptor::k_salt_bytes);
      encryptor = std::make_unique<WinZipAesEncryptor>(options.passphrase->view(), salt);
      const std::string header = encryptor->header();
      write_out(header);
      entry.compressed_size += header.size();
    }
  }

  void write_block(ZipEntryRecord& entry, CompressedBlock block)
  {
    entry.crc32 = combine_crc32(entry.crc32, block.crc32, block.input_size);
    entry.uncompressed_size += block.input_size;
    entry.compressed_size += block.bytes.size();
    if (encryptor)
      encryptor->encrypt(block.bytes.data(), block.bytes.size());
    write_out(block.bytes);
  }

  void write_entry_end(ZipEntryRecord& entry)
  {
    if (encryptor) {
      const std::string code = encryptor->authentication_code();
      write_out(code);
      entry.compressed_size += code.size();
      encryptor.reset();
    }
    write_out(data_descriptor(entry));
    ++written_entry;
  }

  // Writes the pieces at the front that are ready. Waits for compressed
  // blocks when `is_waiting_for_all`, or while too many are in flight.
  void write_ready_pieces(bool is_waiting_for_all)
  {
    while (!pieces.empty()) {
      ZipEntryRecord& entry = entries[written_entry];
      switch (pieces.front()) {
      case PieceKind::entry_start: write_entry_start(entry); break;
      case PieceKind::entry_end: write_entry_end(entry); break;
      case PieceKind::block:
        if (!is_waiting_for_all && pool->in_flight() < max_blocks_in_flight && !pool->is_oldest_done())
          return;
        write_block(entry, pool->take_oldest());
        break;
      }
      pieces.pop_front();
    }
  }

  // --- the submitting side -------------------------------------------------

  void start_entry(ZipMethod method)
  {
    entries.back().method = method;
    pieces.push_back(PieceKind::entry_start);
    is_entry_started = true;
  }

  void submit_block(bool is_last_block)
  {
    if (!is_entry_started)
      start_entry(options.compression_level == 0 ? ZipMethod::stored : ZipMethod::deflated);
    std::string next_dictionary;
    if (!is_last_block && options.compression_level != 0)
      next_dictionary = block.substr(block.size() - std::min(block.size(), k_deflate_window_bytes));
    pool->submit(std::move(block), std::move(dictionary), is_last_block);
    pieces.push_back(PieceKind::block);
    dictionary = std::move(next_dictionary);
    block = std::string();
    block.reserve(k_zip_block_bytes);
    write_ready_pieces(false);
  }
};

ZipWriter::ZipWriter(int fd, std::string what, const ZipWriterOptions& options) : m_state(std::make_unique<State>())
{
  State& state = *m_state;
  state.fd = fd;
  state.what = std::move(what);
  state.options = options;
  state.dos_time = dos_time_utc(options.entry_time);
  if (options.compression_level < 0 || options.compression_level > 9)
    throw Error(ErrorKind::usage, fmt::format("compression level {} is out of range", options.compression_level),
                "give a level from 0 (store) to 9 (smallest)");
  if (options.passphrase && options.passphrase->empty())
    throw Error(ErrorKind::usage, "the passphrase is empty", "give a non-empty passphrase");
  const std::size_t threads = thread_count(options.threads);
  state.pool = std::make_unique<BlockCompressorPool>(threads, options.compression_level);
  state.max_blocks_in_flight = threads * k_blocks_in_flight_per_thread;
  state.block.reserve(k_zip_block_bytes);
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::begin_entry(std::string_view name)
{
  State& state = *m_state;
  // A refused name leaves the writer usable: nothing was written.
  state.check_usable();
  if (state.is_in_entry)
    state.fail_internal(fmt::format("entry {} was not ended", state.entries.back().name));
  if (!is_plain_entry_name(name))
    state.fail_internal(fmt::format("\"{}\" is not a plain entry name", name));
  state.guarded([&] {
    ZipEntryRecord entry;
    entry.name.assign(name);
    entry.is_encrypted = state.options.passphrase != nullptr;
    entry.dos_time = state.dos_time;
    entry.time = state.options.entry_time;
    state.entries.push_back(std::move(entry));
    state.is_in_entry = true;
    state.is_entry_started = false;
    state.block.clear();
    state.dictionary.clear();
  });
}

void ZipWriter::write(std::string_view data)
{
  State& state = *m_state;
  state.guarded([&] {
    if (!state.is_in_entry)
      state.fail_internal("no entry begun");
    while (!data.empty()) {
      if (state.block.size() == k_zip_block_bytes)
        state.submit_block(false);
      const std::size_t taken = std::min(data.size(), k_zip_block_bytes - state.block.size());
      state.block.append(data.substr(0, taken));
      data.remove_prefix(taken);
    }
  });
}

void ZipWriter::end_entry()
{
  State& state = *m_state;
  state.guarded([&] {
    if (!state.is_in_entry)
      state.fail_internal("no entry begun");
    if (!state.is_entry_started && state.block.empty())
      state.start_entry(ZipMethod::stored);  // empty: nothing to compress
    else
      state.submit_block(true);
    state.pieces.push_back(State::PieceKind::entry_end);
    state.is_in_entry = false;
    state.write_ready_pieces(false);
  });
}

void ZipWriter::close()
{
  if (m_state->is_in_entry && !m_state->is_failed && !m_state->is_closed)
    end_entry();
  State& state = *m_state;
  state.guarded([&] {
    state.write_ready_pieces(true);
    const std::uint64_t directory_offset = state.offset;
    std::string directory;
    for (const auto& entry : state.entries)
      directory += central_directory_header(entry);
    const std::uint64_t directory_size = directory.size();
    directory += end_of_central_directory(state.entries.size(), directory_offset, directory_size);
    state.write_out(directory);
    state.is_closed = true;
  });
}

}  // namespace crm::archive
