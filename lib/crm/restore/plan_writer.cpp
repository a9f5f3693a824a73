#include "crm/restore/plan_writer.hpp"

#include <crm/base/error.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/plan_codec.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace crm::restore {

namespace {
constexpr std::size_t k_flush_bytes = 1 << 20;
}

PlanWriter::PlanWriter(std::filesystem::path path, const PlanHeader& header, std::string_view format_name)
    : m_file(std::move(path)), m_hash(std::make_unique<crypto::Sha256>())
{
  m_counts.count_properties(header.properties);
  append_line(encode_header(header, format_name));
}

PlanWriter::~PlanWriter() = default;

void PlanWriter::add_change(const PlanChange& change)
{
  if (m_has_deleted || (m_has_change && change.id <= m_last_change))
    throw Error(ErrorKind::internal, fmt::format("plan record {} written out of order", change.id));
  m_has_change = true;
  m_last_change = change.id;
  ++m_counts.records_to_change;
  for (std::size_t index = 0; index < change.after.size(); ++index)
    m_counts.count_value(change.properties[index], change.after[index]);
  append_line(encode_change(change));
}

void PlanWriter::add_deleted(const DeletedRecord& deleted)
{
  if (m_has_deleted && deleted.id <= m_last_deleted)
    throw Error(ErrorKind::internal, fmt::format("deleted record {} written out of order", deleted.id));
  m_has_deleted = true;
  m_last_deleted = deleted.id;
  ++m_counts.records_deleted;
  if (deleted.is_in_recycle_bin)
    ++m_counts.records_in_recycle_bin;
  append_line(encode_deleted(deleted));
}

std::string PlanWriter::commit(const PlanSummary& summary)
{
  PlanSummary complete = summary;
  complete.records_to_change = m_counts.records_to_change;
  complete.values_to_set = m_counts.values_to_set;
  complete.values_to_clear = m_counts.values_to_clear;
  complete.records_deleted = m_counts.records_deleted;
  complete.records_in_recycle_bin = m_counts.records_in_recycle_bin;
  complete.by_property = m_counts.by_property;
  m_counts = complete;
  append_line(encode_summary(complete));
  flush();
  m_file.commit();
  return m_hash->hex_digest();
}

void PlanWriter::append_line(const std::string& line)
{
  m_buffer += line;
  m_buffer += '\n';
  if (m_buffer.size() >= k_flush_bytes)
    flush();
}

void PlanWriter::flush()
{
  m_hash->update(m_buffer);
  m_file.write(m_buffer);
  m_buffer.clear();
}

}  // namespace crm::restore
