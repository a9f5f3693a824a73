// main() for a fuzz target outside libFuzzer: runs LLVMFuzzerTestOneInput once
// on every file in the directories (or files) given, so the normal build and
// ctest replay the seeds and every kept crashing input with any compiler,
// under the sanitizers when the build has them. A crash, a sanitizer report
// or an escaped exception fails the run, as it would fail libFuzzer.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file)
{
  std::ifstream stream(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (!stream.eof() && stream.fail()) {
    std::fprintf(stderr, "cannot read %s\n", file.c_str());
    std::exit(1);
  }
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv)
{
  std::size_t replayed = 0;
  for (int index = 1; index < argc; ++index) {
    const std::filesystem::path where = argv[index];
    if (!std::filesystem::exists(where))
      continue;  // a target with no kept crashing input has no regressions/ folder
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(where)) {
      for (const auto& entry : std::filesystem::directory_iterator(where))
        if (entry.is_regular_file())
          files.push_back(entry.path());
    } else {
      files.push_back(where);
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      replay(file);
      ++replayed;
    }
  }
  std::printf("replayed %zu inputs\n", replayed);
  return replayed == 0 ? 1 : 0;
}
