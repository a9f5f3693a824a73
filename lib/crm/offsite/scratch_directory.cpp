#include "crm/offsite/scratch_directory.hpp"

#include <crm/base/error.hpp>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace crm::offsite {

ScratchDirectory::ScratchDirectory()
{
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/crm-offsite-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    throw_errno(errno, "create a private temporary directory", pattern, true);
  m_path = pattern;
}

ScratchDirectory::~ScratchDirectory()
{
  std::error_code error;
  std::filesystem::remove_all(m_path, error);
}

}  // namespace crm::offsite
