#pragma once
// Secrets kept in files (SPEC §8): a backup passphrase in --passphrase-file,
// the schedule's passphrase file, a systemd credential. The file is read
// whole into one buffer reserved up front, so no reallocation leaves a copy
// of the secret in freed memory, and one trailing line break is dropped (an
// editor adds it).

#include <filesystem>
#include <string>
#include <string_view>

namespace crm {

enum class FileAccess {
  any,         // whoever may read it: the user chose the file for this one command
  owner_only,  // group and others may neither read nor write it (mode 0600 or 0400)
};

// Throws Error(not_found) when `path` does not exist, Error(usage) when it is
// not a regular file, and, for FileAccess::owner_only, Error(no_permission)
// when its mode lets group or others in: "the passphrase file F has mode 0644:
// group or others can read it (chmod 600 F)". Reads nothing: the file may
// belong to root and be handed over by systemd. `what` names the secret.
void require_secret_file(const std::filesystem::path& path, std::string_view what, FileAccess access);

// The secret in the file at `path` (at most `max_bytes`), without one trailing
// LF or CRLF. The mode is checked on the opened file, as require_secret_file
// does, so the file checked is the file read. Errors: not_found, usage (not a
// regular file, empty, too long), no_permission (owner_only and a mode
// letting others in), io.
std::string read_secret_file(const std::filesystem::path& path, std::string_view what, FileAccess access,
                             std::size_t max_bytes);

// Drops one trailing LF or CRLF.
void strip_line_break(std::string& secret);

}  // namespace crm
