#pragma once
// A scratch directory for one test, under $CRM_TEST_TMP (or the system temp
// directory). Removed when the test ends, unless CRM_KEEP_TMP is set.

#include <filesystem>
#include <string_view>

namespace crm::test {

class TempDir {
public:
  explicit TempDir(std::string_view label = "test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

private:
  std::filesystem::path m_path;
};

}  // namespace crm::test
