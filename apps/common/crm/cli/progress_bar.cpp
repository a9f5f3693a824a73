#include <crm/cli/progress_bar.hpp>

#include <cstdio>
#include <fmt/format.h>
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

void ProgressBar::update(const Progress& progress)
{
  if (!m_is_terminal)
    return;
  const auto now = std::chrono::steady_clock::now();
  if (m_is_drawn && now - m_last_drawn < std::chrono::milliseconds(100))
    return;
  m_last_drawn = now;
  const double seconds = std::chrono::duration<double>(now - m_started).count();
  const double rate = seconds > 0 ? static_cast<double>(progress.bytes) / seconds : 0;
  std::string counts = progress.total > 0 ? fmt::format("{}/{} records", progress.done, progress.total)
                                          : fmt::format("{} records", progress.done);
  std::string bar;
  if (progress.total > 0) {
    constexpr int k_width = 20;
    const auto filled = static_cast<int>(k_width * std::min<double>(1.0, static_cast<double>(progress.done) /
                                                                             static_cast<double>(progress.total)));
    bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
          std::string(static_cast<std::size_t>(k_width - filled), '.') + "] ";
  }
  // A remote store's pace is its requests and records a second, not bytes.
  const std::string pace =
      progress.requests >= 0
          ? fmt::format("{} requests, {:.1f}/s, {:.0f} records/s", progress.requests,
                        seconds > 0 ? static_cast<double>(progress.requests) / seconds : 0.0,
                        seconds > 0 ? static_cast<double>(progress.done) / seconds : 0.0)
          : fmt::format("{}/s", format_bytes(static_cast<std::uint64_t>(rate)));
  fmt::print(stderr, "\r\033[K{}: {}{} {}, {}, {}", m_program, bar, progress.stage, counts,
             format_bytes(static_cast<std::uint64_t>(progress.bytes)), pace);
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
