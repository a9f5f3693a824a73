#include "crm/cli/progress_bar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unistd.h>

namespace crm::cli {

std::string format_bytes(std::uint64_t bytes)
{
  if (bytes < 1024)
    return fmt::format("{} B", bytes);
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

std::optional<std::string> time_left(const Progress& progress, double seconds)
{
  if (progress.total <= 0 || progress.done <= 0 || seconds < 2)
    return std::nullopt;
  const double remaining = static_cast<double>(std::max<std::int64_t>(0, progress.total - progress.done)) * seconds /
                           static_cast<double>(progress.done);
  const auto whole = static_cast<std::int64_t>(remaining + 0.5);
  if (whole < 60)
    return fmt::format("about {} s", whole);
  if (whole < 3600)
    return fmt::format("about {} min {} s", whole / 60, whole % 60);
  return fmt::format("about {} h {} min", whole / 3600, whole % 3600 / 60);
}

ProgressBar::ProgressBar(std::string program)
    : m_program(std::move(program)), m_is_terminal(::isatty(STDERR_FILENO) == 1),
      m_started(std::chrono::steady_clock::now())
{
}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::clear()
{
  if (!m_is_drawn)
    return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  m_is_drawn = false;
}

namespace {

// "stage done/total records, CSV ..., zip ..., pace, time left" after
// `seconds` of work.
std::string counted(const Progress& progress, double seconds)
{
  const auto per_second = [seconds](std::int64_t count) {
    return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
  };
  std::string line;
  if (progress.total > 0) {
    constexpr int k_width = 20;
    const double fraction =
        std::min<double>(1.0, static_cast<double>(progress.done) / static_cast<double>(progress.total));
    const auto filled = static_cast<int>(k_width * fraction);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(k_width - filled), '.') + "] ";
    line += fmt::format("{} {}/{} records", progress.stage, progress.done, progress.total);
  } else {
    line += fmt::format("{} {} records", progress.stage, progress.done);
  }
  // Raw and compressed bytes, each named: "CSV 40.1 MiB, zip 9.8 MiB".
  if (progress.bytes > 0)
    line += fmt::format(", CSV {}", format_bytes(static_cast<std::uint64_t>(progress.bytes)));
  if (progress.archive_bytes >= 0)
    line += fmt::format(", zip {}", format_bytes(static_cast<std::uint64_t>(progress.archive_bytes)));
  // A remote store's pace is its requests and records a second, not bytes.
  if (progress.requests >= 0)
    line += fmt::format(", {} requests, {:.1f}/s, {:.0f} records/s", progress.requests, per_second(progress.requests),
                        per_second(progress.done));
  else if (progress.bytes > 0)
    line += fmt::format(", {}/s", format_bytes(static_cast<std::uint64_t>(per_second(progress.bytes))));
  else
    line += fmt::format(", {:.0f} records/s", per_second(progress.done));
  if (const auto left = time_left(progress, seconds))
    line += fmt::format(", {} left", *left);
  return line;
}

}  // namespace

void ProgressBar::update(const Progress& progress)
{
  if (!m_is_terminal)
    return;
  const auto now = std::chrono::steady_clock::now();
  // A new stage is drawn at once (a wait for the restore lock shows as
  // "lock"); counts at most ten times a second.
  const bool is_new_stage = progress.stage != m_stage;
  if (m_is_drawn && !is_new_stage && now - m_last_drawn < std::chrono::milliseconds(100))
    return;
  m_last_drawn = now;
  m_stage = progress.stage;
  std::string line = fmt::format("\r\033[K{}: ", m_program);
  const bool has_counts = progress.total > 0 || progress.done > 0 || progress.bytes > 0 || progress.requests >= 0;
  if (has_counts)
    line += counted(progress, std::chrono::duration<double>(now - m_started).count());
  else
    line += fmt::format("{}...", progress.stage);  // a step with nothing to count: apply's "lock", "commit"
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  m_is_drawn = true;
}

ProgressFn ProgressBar::callback()
{
  if (!m_is_terminal)
    return {};
  return [this](const Progress& progress) { update(progress); };
}

}  // namespace crm::cli
