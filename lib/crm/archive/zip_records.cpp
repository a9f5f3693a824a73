#include "crm/archive/zip_records.hpp"

#include <ctime>

namespace crm::archive {
namespace {

constexpr std::uint32_t k_local_header_signature = 0x04034b50;
constexpr std::uint32_t k_data_descriptor_signature = 0x08074b50;
constexpr std::uint32_t k_central_header_signature = 0x02014b50;
constexpr std::uint32_t k_zip64_end_signature = 0x06064b50;
constexpr std::uint32_t k_zip64_locator_signature = 0x07064b50;
constexpr std::uint32_t k_end_signature = 0x06054b50;

constexpr std::uint16_t k_version_zip64 = 45;  // 4.5: Zip64 extensions
constexpr std::uint16_t k_version_aes = 51;    // 5.1: AES encryption
constexpr std::uint16_t k_made_by_unix = 3 << 8;
constexpr std::uint16_t k_method_winzip_aes = 99;

constexpr std::uint16_t k_flag_encrypted = 1 << 0;
constexpr std::uint16_t k_flag_data_descriptor = 1 << 3;

constexpr std::uint16_t k_extra_zip64 = 0x0001;
constexpr std::uint16_t k_extra_extended_time = 0x5455;  // "UT"
constexpr std::uint16_t k_extra_unix_owner = 0x7875;     // "ux"
constexpr std::uint16_t k_extra_winzip_aes = 0x9901;

constexpr std::uint32_t k_max32 = 0xffffffffU;
constexpr std::uint16_t k_max16 = 0xffffU;
constexpr std::uint32_t k_regular_file_0600 = 0100600U << 16;

class Bytes {
public:
  Bytes& u16(std::uint16_t value)
  {
    m_text += static_cast<char>(value & 0xff);
    m_text += static_cast<char>(value >> 8);
    return *this;
  }
  Bytes& u32(std::uint32_t value)
  {
    u16(static_cast<std::uint16_t>(value & 0xffff));
    return u16(static_cast<std::uint16_t>(value >> 16));
  }
  Bytes& u64(std::uint64_t value)
  {
    u32(static_cast<std::uint32_t>(value & k_max32));
    return u32(static_cast<std::uint32_t>(value >> 32));
  }
  Bytes& u8(std::uint8_t value)
  {
    m_text += static_cast<char>(value);
    return *this;
  }
  Bytes& text(std::string_view value)
  {
    m_text += value;
    return *this;
  }
  std::string take() { return std::move(m_text); }
  std::size_t size() const { return m_text.size(); }

private:
  std::string m_text;
};

std::uint16_t version_needed(const ZipEntryRecord& entry)
{
  return entry.is_encrypted ? k_version_aes : k_version_zip64;
}

std::uint16_t flags(const ZipEntryRecord& entry)
{
  return static_cast<std::uint16_t>(k_flag_data_descriptor | (entry.is_encrypted ? k_flag_encrypted : 0));
}

std::uint16_t method_field(const ZipEntryRecord& entry)
{
  return entry.is_encrypted ? k_method_winzip_aes : static_cast<std::uint16_t>(entry.method);
}

// AE-2 keeps the CRC-32 out of the records: the MAC authenticates the data.
std::uint32_t crc_field(const ZipEntryRecord& entry) { return entry.is_encrypted ? 0 : entry.crc32; }

// The fields common to both headers' extras after Zip64: times, owner, AES.
std::string common_extras(const ZipEntryRecord& entry, bool is_local)
{
  Bytes extras;
  // "UT": flags say mtime, atime and ctime are set; the central copy holds
  // mtime only, as Info-ZIP writes it.
  const auto seconds = static_cast<std::uint32_t>(entry.time);
  if (is_local)
    extras.u16(k_extra_extended_time).u16(13).u8(7).u32(seconds).u32(seconds).u32(seconds);
  else
    extras.u16(k_extra_extended_time).u16(5).u8(7).u32(seconds);
  // "ux": version 1, uid and gid of 4 bytes, both 0.
  extras.u16(k_extra_unix_owner).u16(11).u8(1).u8(4).u32(0).u8(4).u32(0);
  if (entry.is_encrypted)  // vendor version 2 (AE-2), vendor "AE", strength 3 (AES-256), actual method
    extras.u16(k_extra_winzip_aes).u16(7).u16(2).text("AE").u8(3).u16(static_cast<std::uint16_t>(entry.method));
  return extras.take();
}

}  // namespace

std::uint32_t dos_time_utc(UnixTime time)
{
  const std::time_t seconds = static_cast<std::time_t>(time);
  std::tm fields{};
  if (gmtime_r(&seconds, &fields) == nullptr || fields.tm_year < 80)
    return 0x00210000U;  // 1980-01-01 00:00:00, the earliest DOS time
  if (fields.tm_year > 207)
    return 0xff9fbf7dU;  // 2107-12-31 23:59:58, the latest
  const auto date =
      static_cast<std::uint32_t>(((fields.tm_year - 80) << 9) | ((fields.tm_mon + 1) << 5) | fields.tm_mday);
  const auto clock = static_cast<std::uint32_t>((fields.tm_hour << 11) | (fields.tm_min << 5) | (fields.tm_sec / 2));
  return (date << 16) | clock;
}

std::string local_header(const ZipEntryRecord& entry)
{
  const std::string extras = Bytes().u16(k_extra_zip64).u16(16).u64(0).u64(0).take() + common_extras(entry, true);
  return Bytes()
      .u32(k_local_header_signature)
      .u16(version_needed(entry))
      .u16(flags(entry))
      .u16(method_field(entry))
      .u32(entry.dos_time)
      .u32(0)  // CRC-32: in the data descriptor
      .u32(k_max32)
      .u32(k_max32)
      .u16(static_cast<std::uint16_t>(entry.name.size()))
      .u16(static_cast<std::uint16_t>(extras.size()))
      .text(entry.name)
      .text(extras)
      .take();
}

std::string data_descriptor(const ZipEntryRecord& entry)
{
  return Bytes()
      .u32(k_data_descriptor_signature)
      .u32(crc_field(entry))
      .u64(entry.compressed_size)
      .u64(entry.uncompressed_size)
      .take();
}

std::string central_directory_header(const ZipEntryRecord& entry)
{
  // Zip64 extra: only the values that do not fit, in this fixed order.
  Bytes zip64_values;
  const bool is_uncompressed_large = entry.uncompressed_size >= k_max32;
  const bool is_compressed_large = entry.compressed_size >= k_max32;
  const bool is_offset_large = entry.local_header_offset >= k_max32;
  if (is_uncompressed_large)
    zip64_values.u64(entry.uncompressed_size);
  if (is_compressed_large)
    zip64_values.u64(entry.compressed_size);
  if (is_offset_large)
    zip64_values.u64(entry.local_header_offset);
  std::string extras;
  if (zip64_values.size() > 0) {
    const std::string values = zip64_values.take();
    extras = Bytes().u16(k_extra_zip64).u16(static_cast<std::uint16_t>(values.size())).text(values).take();
  }
  extras += common_extras(entry, false);

  return Bytes()
      .u32(k_central_header_signature)
      .u16(k_made_by_unix | k_version_zip64)
      .u16(version_needed(entry))
      .u16(flags(entry))
      .u16(method_field(entry))
      .u32(entry.dos_time)
      .u32(crc_field(entry))
      .u32(is_compressed_large ? k_max32 : static_cast<std::uint32_t>(entry.compressed_size))
      .u32(is_uncompressed_large ? k_max32 : static_cast<std::uint32_t>(entry.uncompressed_size))
      .u16(static_cast<std::uint16_t>(entry.name.size()))
      .u16(static_cast<std::uint16_t>(extras.size()))
      .u16(0)  // comment length
      .u16(0)  // disk number start
      .u16(0)  // internal attributes
      .u32(k_regular_file_0600)
      .u32(is_offset_large ? k_max32 : static_cast<std::uint32_t>(entry.local_header_offset))
      .text(entry.name)
      .text(extras)
      .take();
}

std::string end_of_central_directory(std::uint64_t entry_count, std::uint64_t directory_offset,
                                     std::uint64_t directory_size)
{
  Bytes end;
  const bool is_zip64 = entry_count >= k_max16 || directory_offset >= k_max32 || directory_size >= k_max32;
  if (is_zip64) {
    const std::uint64_t zip64_end_offset = directory_offset + directory_size;
    end.u32(k_zip64_end_signature)
        .u64(44)  // size of the rest of this record
        .u16(k_made_by_unix | k_version_zip64)
        .u16(k_version_zip64)
        .u32(0)  // this disk
        .u32(0)  // disk of the central directory
        .u64(entry_count)
        .u64(entry_count)
        .u64(directory_size)
        .u64(directory_offset);
    end.u32(k_zip64_locator_signature).u32(0).u64(zip64_end_offset).u32(1);
  }
  const auto count16 = static_cast<std::uint16_t>(entry_count >= k_max16 ? k_max16 : entry_count);
  end.u32(k_end_signature)
      .u16(0)
      .u16(0)
      .u16(count16)
      .u16(count16)
      .u32(directory_size >= k_max32 ? k_max32 : static_cast<std::uint32_t>(directory_size))
      .u32(directory_offset >= k_max32 ? k_max32 : static_cast<std::uint32_t>(directory_offset))
      .u16(0);  // comment length
  return end.take();
}

}  // namespace crm::archive
