#pragma once
// An unlinked 0600 file in $TMPDIR (or /tmp) for data the tool holds for a
// moment (a private copy of a plan, records fetched ahead): gone when closed
// or when the process dies, whatever kills it; no other user can open it.

#include <string_view>

namespace crm {

// The file's descriptor (O_RDWR, close-on-exec). `purpose` names it in the
// error a failure throws (Error(cannot_create) or io).
int open_private_temp_file(std::string_view purpose);

// Writes all of `data` at the end of `fd`, retrying short writes; ENOSPC and
// the like are Error(io) naming `purpose`.
void write_all(int fd, std::string_view data, std::string_view purpose);

}  // namespace crm
