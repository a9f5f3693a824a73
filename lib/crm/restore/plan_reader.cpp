#include "crm/restore/plan_reader.hpp"

#include <crm/base/error.hpp>
#include <crm/restore/plan_codec.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace crm::restore {

namespace {
// A plan line holds one record's values; a line longer than this is not
// something we wrote.
constexpr std::size_t k_max_line_bytes = std::size_t{512} << 20;
constexpr std::size_t k_read_bytes = std::size_t{64} << 10;
}  // namespace

PlanReader::PlanReader(const std::filesystem::path& path, std::string_view format_name)
    : m_what(path.string()), m_buffer(k_read_bytes), m_line(std::make_unique<DecodedLine>())
{
  m_file.reset(std::fopen(path.c_str(), "rbe"));
  if (m_file == nullptr) {
    if (errno == ENOENT)
      throw Error(ErrorKind::not_found, fmt::format("no such plan file: {}", m_what),
                  "check the path, or make a plan with crm-restore plan");
    throw_errno(errno, "open", m_what);
  }
  advance();
  if (m_is_at_end || m_line->kind != LineKind::header)
    damaged("it does not start with a plan header");
  if (m_line->format_name != format_name)
    throw Error(ErrorKind::data, fmt::format("{} is not a {} file", m_what, format_name),
                format_name == k_plan_format_name ? "give a plan made by crm-restore plan or crm-restore undo"
                                                  : "give the undo file a restore wrote");
  if (m_line->header.format_version > k_plan_format_version)
    throw Error(ErrorKind::data,
                fmt::format("{} has format version {}, newer than this tool understands ({})", m_what,
                            m_line->header.format_version, k_plan_format_version),
                "upgrade crm-restore");
  if (m_line->header.format_version < 1)
    damaged("its format version is not valid");
  m_header = std::move(m_line->header);
  const auto& properties = m_header.properties;
  for (std::size_t index = 0; index < properties.size(); ++index)
    if (std::find(properties.begin(), properties.begin() + static_cast<std::ptrdiff_t>(index), properties[index]) !=
        properties.begin() + static_cast<std::ptrdiff_t>(index))
      damaged(fmt::format("property {} is listed twice", properties[index]));
  m_counted.count_properties(properties);
  advance();
}

PlanReader::~PlanReader() = default;

void PlanReader::damaged(std::string_view problem) const
{
  throw Error(ErrorKind::data, fmt::format("plan file {} is damaged: {}", m_what, problem),
              "make a new plan with crm-restore plan");
}

bool PlanReader::read_line()
{
  m_text.clear();
  for (;;) {
    if (m_buffer_position == m_buffer_filled) {
      m_buffer_position = 0;
      m_buffer_filled = std::fread(m_buffer.data(), 1, m_buffer.size(), m_file.get());
      if (m_buffer_filled == 0) {
        if (std::ferror(m_file.get()))
          throw_errno(errno, "read", m_what);
        if (!m_text.empty())
          damaged("its last line is cut short");
        return false;
      }
    }
    const char* const begin = m_buffer.data() + m_buffer_position;
    const std::size_t available = m_buffer_filled - m_buffer_position;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
    const std::size_t length = newline != nullptr ? static_cast<std::size_t>(newline - begin) : available;
    if (length > k_max_line_bytes - m_text.size())
      damaged("a line is too long");
    m_text.append(begin, length);
    m_buffer_position += newline != nullptr ? length + 1 : length;
    if (newline != nullptr)
      return true;
  }
}

void PlanReader::advance()
{
  if (!read_line()) {
    m_is_at_end = true;
    return;
  }
  decode_line(m_text, m_what, *m_line);
}

bool PlanReader::next_change(PlanChange& out)
{
  if (m_is_at_end || m_line->kind != LineKind::change)
    return false;
  PlanChange& change = m_line->change;
  if (m_has_change && change.id <= m_last_id)
    damaged(fmt::format("record {} is out of order", change.id));
  if (change.properties.empty())
    damaged(fmt::format("record {} changes nothing", change.id));
  // The change's properties appear in the header's order, each once.
  auto position = m_header.properties.begin();
  for (std::size_t index = 0; index < change.properties.size(); ++index) {
    position = std::find(position, m_header.properties.end(), change.properties[index]);
    if (position == m_header.properties.end())
      damaged(fmt::format("record {} names property {} that the plan does not restore", change.id,
                          change.properties[index]));
    ++position;
    if (change.before[index] == change.after[index])
      damaged(fmt::format("record {} sets {} to the value it already has", change.id, change.properties[index]));
    m_counted.count_value(change.properties[index], change.after[index]);
  }
  m_has_change = true;
  m_last_id = change.id;
  ++m_counted.records_to_change;
  std::swap(out, change);
  advance();
  return true;
}

bool PlanReader::next_deleted(DeletedRecord& out)
{
  while (next_change(m_line->change)) {
    // Changes not read by the caller are skipped (and still checked).
  }
  if (m_is_at_end || m_line->kind != LineKind::deleted)
    return false;
  const DeletedRecord& deleted = m_line->deleted;
  if (m_has_deleted && deleted.id <= m_last_deleted)
    damaged(fmt::format("deleted record {} is out of order", deleted.id));
  m_has_deleted = true;
  m_last_deleted = deleted.id;
  ++m_counted.records_deleted;
  if (deleted.is_in_recycle_bin)
    ++m_counted.records_in_recycle_bin;
  out = deleted;
  advance();
  return true;
}

const PlanSummary& PlanReader::finish()
{
  if (m_is_finished)
    return m_summary;
  DeletedRecord skipped;
  while (next_deleted(skipped)) {
  }
  if (m_is_at_end || m_line->kind != LineKind::summary)
    damaged(m_is_at_end ? "its summary line is missing" : "a line is out of place");
  m_summary = std::move(m_line->summary);
  const bool is_consistent = m_summary.records_to_change == m_counted.records_to_change &&
                             m_summary.values_to_set == m_counted.values_to_set &&
                             m_summary.values_to_clear == m_counted.values_to_clear &&
                             m_summary.records_deleted == m_counted.records_deleted &&
                             m_summary.records_in_recycle_bin == m_counted.records_in_recycle_bin;
  if (!is_consistent)
    damaged("its summary does not match its records");
  m_summary.by_property = std::move(m_counted.by_property);
  for (const auto& workflow : m_summary.workflows)
    for (const auto& property : workflow.trigger_properties)
      if (std::find(m_header.properties.begin(), m_header.properties.end(), property) == m_header.properties.end())
        damaged(fmt::format("workflow {} triggers on {}, which the plan does not restore", workflow.id, property));
  advance();
  if (!m_is_at_end)
    damaged("something follows its summary line");
  m_is_finished = true;
  return m_summary;
}

}  // namespace crm::restore
