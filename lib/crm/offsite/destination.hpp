#pragma once
// Remote names and destinations (docs/offsite.md). A destination is what
// rclone takes: an rclone remote and path ("s3-backups:acme/crm",
// "nas:") or a local directory ("/mnt/usb/crm"). Files go directly in it:
// crm-backup-<id>.zip and its sidecar <id>.json.

#include <string>
#include <string_view>

namespace crm::offsite {

// Error(usage) unless `name` is 1..32 of [a-z0-9_-], starting with a letter or digit.
void check_remote_name(std::string_view name);

// Error(usage) for an empty destination, one that starts with '-' (rclone
// would read it as an option), or one holding control characters.
void check_destination(std::string_view destination);

// The destination as it is stored: a local directory given relative
// ("usb", "./copies") made absolute against the working directory, because
// rclone would resolve it against the working directory of every later run
// (cron's is not yours). An rclone remote ("name:path", a ':' before any
// '/') and an absolute path are kept as given.
std::string anchored_destination(std::string_view destination);

// `file_name` inside `destination`: "s3:bucket/crm" + "x" -> "s3:bucket/crm/x",
// "nas:" + "x" -> "nas:x", "/mnt/usb/" + "x" -> "/mnt/usb/x".
std::string remote_path(std::string_view destination, std::string_view file_name);

// The sidecar's file name: "<id>.json".
std::string sidecar_name_for(std::string_view backup_id);

}  // namespace crm::offsite
