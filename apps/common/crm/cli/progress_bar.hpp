#pragma once
// Draws the library's progress reports on stderr as one self-overwriting
// line (stage, records done of total, CSV and zip bytes, rate, time left),
// and only when stderr is a terminal: in cron, CI and pipes stderr stays free for the one result or
// error line.

#include <crm/base/progress.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace crm::cli {

class ProgressBar {
public:
  explicit ProgressBar(std::string program);
  // Clears the line if anything was drawn.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Redraws at most ten times a second.
  void update(const Progress& progress);
  // Erases the bar so that the next line starts clean.
  void clear();

  // A callback drawing on this bar; an empty function when stderr is not a
  // terminal, so the library skips even the bookkeeping.
  ProgressFn callback();

private:
  std::string m_program;
  bool m_is_terminal = false;
  bool m_is_drawn = false;
  std::chrono::steady_clock::time_point m_started;
  std::chrono::steady_clock::time_point m_last_drawn;
  std::string m_stage;  // the stage drawn last
};

// "1.2 MiB", "312 B": sizes for people.
std::string format_bytes(std::uint64_t bytes);

// "about 1 min 20 s": the time left at the pace of the first `seconds`;
// nothing without a total or before two seconds have passed (too early to
// tell).
std::optional<std::string> time_left(const Progress& progress, double seconds);

}  // namespace crm::cli
