#include "support/temp_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>

namespace crm::test {

TempDir::TempDir(std::string_view label)
{
  const char* root = std::getenv("CRM_TEST_TMP");
  const std::filesystem::path base = root ? std::filesystem::path(root) : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(base);
  std::random_device device;
  m_path = base / (std::string(label) + "-" + std::to_string(device()));
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir()
{
  if (std::getenv("CRM_KEEP_TMP"))
    return;
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

std::vector<std::string> names_in(const std::filesystem::path& directory)
{
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace crm::test
