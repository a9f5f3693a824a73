#include "crm/base/error.hpp"

#include <fmt/format.h>

#include <cstring>

namespace crm {

std::string_view kind_name(ErrorKind kind)
{
  switch (kind) {
  case ErrorKind::usage: return "usage";
  case ErrorKind::data: return "data";
  case ErrorKind::not_found: return "not_found";
  case ErrorKind::unavailable: return "unavailable";
  case ErrorKind::internal: return "internal";
  case ErrorKind::cannot_create: return "cannot_create";
  case ErrorKind::io: return "io";
  case ErrorKind::temp_fail: return "temp_fail";
  case ErrorKind::no_permission: return "no_permission";
  case ErrorKind::config: return "config";
  }
  return "internal";
}

Error::Error(ErrorKind kind, std::string what, std::string hint)
    : std::runtime_error(std::move(what)), m_kind(kind), m_hint(std::move(hint))
{
}

std::string Error::line() const
{
  if (m_hint.empty())
    return what();
  return fmt::format("{} ({})", what(), m_hint);
}

void throw_errno(int error_number, std::string_view action, std::string_view path, bool creating)
{
  const std::string message = fmt::format("cannot {} {}: {}", action, path, std::strerror(error_number));
  switch (error_number) {
  case ENOSPC:
  case EDQUOT: throw Error(ErrorKind::io, message, "free some disk space and run again");
  case ENOENT:
    if (creating)
      throw Error(ErrorKind::cannot_create, message, "check that the directory exists");
    throw Error(ErrorKind::not_found, message, "check the path");
  case EACCES:
  case EPERM:
  case EROFS:
    if (creating)
      throw Error(ErrorKind::cannot_create, message, "check the directory's permissions");
    throw Error(ErrorKind::io, message, "check the file's permissions");
  default: throw Error(creating ? ErrorKind::cannot_create : ErrorKind::io, message);
  }
}

}  // namespace crm
