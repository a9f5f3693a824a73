#pragma once
// Reading files: in bounded chunks, or whole when they are small.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace crm {

// Hands the bytes of the file at `path` to `consume`, in chunks of up to
// 1 MiB, without holding more than one chunk. Throws Error(not_found) when it
// does not exist, Error(io) on other failures.
void read_file_chunks(const std::filesystem::path& path, const std::function<void(std::string_view chunk)>& consume);

// The same for a file already open as `fd` (named `name` in messages), read
// from its current offset to its end; the caller closes it.
void read_fd_chunks(int fd, std::string_view name, const std::function<void(std::string_view chunk)>& consume);

// Reads a whole small file (a plan, a manifest, a secret). Throws
// Error(not_found) when it does not exist, Error(io) on other failures.
std::string read_small_file(const std::filesystem::path& path, std::size_t max_bytes = 64 << 20);

}  // namespace crm
