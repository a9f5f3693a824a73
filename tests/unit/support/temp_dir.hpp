#pragma once
// A scratch directory for one test, under $CRM_TEST_TMP (or the system temp
// directory). Removed when the test ends, unless CRM_KEEP_TMP is set.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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

// The names of the entries of `directory`, sorted: what a test finds left.
std::vector<std::string> names_in(const std::filesystem::path& directory);

}  // namespace crm::test
