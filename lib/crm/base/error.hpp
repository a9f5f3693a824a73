#pragma once
// The one error type of the library. Its kind is the process exit code
// (sysexits.h, SPEC §7); the front ends catch it in one place and print
// `<program>: <what> (<hint>)` on one line.

#include <stdexcept>
#include <string>
#include <string_view>

namespace crm {

enum class ErrorKind : int {
  usage = 64,          // bad arguments, a secret given on the command line
  data = 65,           // corrupt or tampered archive, checksum or hash mismatch
  not_found = 66,      // no such backup, store or plan; download window passed
  unavailable = 69,    // a service the command needs is unavailable
  internal = 70,       // a bug
  cannot_create = 73,  // cannot create an output file
  io = 74,             // disk full, read or write failure
  temp_fail = 75,      // frequency limit, lock held, store changed since the plan
  no_permission = 77,  // not a super admin, 2FA failed, acknowledgement missing
  config = 78,         // configuration error
};

constexpr int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

// A short name for --json output and logs ("usage", "data", ...).
std::string_view kind_name(ErrorKind kind);

class Error : public std::runtime_error {
public:
  // `what` says what happened; `hint` says what the user can do about it.
  Error(ErrorKind kind, std::string what, std::string hint = {});

  ErrorKind kind() const { return m_kind; }
  const std::string& hint() const { return m_hint; }

  // "what (hint)", or "what" when there is no hint: the one stderr line.
  std::string line() const;

private:
  ErrorKind m_kind;
  std::string m_hint;
};

// Maps errno from a failed system call on `path` to an Error of the right kind:
// ENOSPC/EIO/EDQUOT -> io, ENOENT -> not_found, EACCES/EROFS -> cannot_create
// when `creating`, otherwise io.
[[noreturn]] void throw_errno(int error_number, std::string_view action, std::string_view path, bool creating = false);

}  // namespace crm
