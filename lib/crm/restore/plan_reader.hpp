#pragma once
// Reads a plan file (or an undo file) line by line, checking as it goes that
// it is well formed: a header first, changes in strictly increasing id order
// naming only the plan's properties, then deleted records, then one summary
// whose counts match what came before, then nothing. Anything else is
// Error(data): the file is damaged or was edited by hand. Memory stays
// bounded by one line.

#include <crm/restore/plan.hpp>
#include <crm/restore/plan_writer.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace crm::restore {

struct DecodedLine;

class PlanReader {
public:
  // Opens `path` and reads its header. A missing file is Error(not_found); a
  // file of another format or a newer version is Error(data).
  explicit PlanReader(const std::filesystem::path& path, std::string_view format_name = k_plan_format_name);
  ~PlanReader();
  PlanReader(const PlanReader&) = delete;
  PlanReader& operator=(const PlanReader&) = delete;

  const PlanHeader& header() const { return m_header; }

  // The next change; false once the changes are over.
  bool next_change(PlanChange& out);
  // The next deleted record (after the changes); false once they are over.
  bool next_deleted(DeletedRecord& out);
  // Reads whatever is left, checks the summary against it and that the file
  // ends there, and returns the summary.
  const PlanSummary& finish();

private:
  bool read_line();
  void advance();  // decodes the next line into m_line
  [[noreturn]] void damaged(std::string_view problem) const;

  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };

  std::string m_what;
  // Closed by its own destructor, so also when the constructor throws (a
  // damaged header): a reader that refused its file leaves nothing open.
  std::unique_ptr<std::FILE, FileCloser> m_file;
  std::vector<char> m_buffer;  // read from m_file in blocks; lines are cut out with memchr
  std::size_t m_buffer_position = 0;
  std::size_t m_buffer_filled = 0;
  std::string m_text;  // the line being decoded
  std::unique_ptr<DecodedLine> m_line;
  bool m_is_at_end = false;
  bool m_is_finished = false;
  PlanHeader m_header;
  PlanSummary m_summary;
  PlanSummary m_counted;
  store::RecordId m_last_id = 0;
  store::RecordId m_last_deleted = 0;
  bool m_has_change = false;
  bool m_has_deleted = false;
};

}  // namespace crm::restore
