#include "crm/restore/private_plan.hpp"

#include <crm/base/error.hpp>
#include <crm/base/lowercase.hpp>
#include <crm/base/private_temp_file.hpp>
#include <crm/crypto/hmac.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/plan_reader.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace crm::restore {

namespace {

constexpr std::size_t k_copy_buffer_bytes = 1 << 20;

}  // namespace

PrivatePlan::PrivatePlan(const std::filesystem::path& plan, std::optional<std::string_view> confirm_hash)
{
  const int source = ::open(plan.c_str(), O_RDONLY | O_CLOEXEC);
  if (source < 0) {
    if (errno == ENOENT)
      throw Error(ErrorKind::not_found, fmt::format("no plan {}", plan.string()), "check the path");
    throw_errno(errno, "open the plan", plan.string());
  }
  crypto::Sha256 hash;
  try {
    m_fd = open_private_temp_file("a private copy of the plan");
    std::vector<char> buffer(k_copy_buffer_bytes);
    for (;;) {
      const ssize_t got = ::read(source, buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        throw_errno(errno, "read the plan", plan.string());
      if (got == 0)
        break;
      hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
      write_all(m_fd, std::string_view(buffer.data(), static_cast<std::size_t>(got)), "the private copy of the plan");
    }
  } catch (...) {
    ::close(source);
    if (m_fd >= 0)
      ::close(m_fd);
    throw;
  }
  ::close(source);
  m_path = fmt::format("/proc/self/fd/{}", m_fd);
  m_sha256 = hash.hex_digest();
  if (confirm_hash && !crypto::constant_time_equal(m_sha256, lowercase(*confirm_hash))) {
    ::close(m_fd);
    throw Error(ErrorKind::data, fmt::format("plan {} does not match the hash given with --confirm", plan.string()),
                "review the plan again: crm-restore plan prints its hash");
  }
  try {
    PlanReader reader(m_path);
    m_summary = reader.finish();
    m_header = reader.header();
  } catch (...) {
    ::close(m_fd);
    throw;
  }
}

PrivatePlan::~PrivatePlan()
{
  if (m_fd >= 0)
    ::close(m_fd);
}

}  // namespace crm::restore
