#pragma once
// The environment rclone runs with (SPEC §8: secrets never reach a child's
// environment). Built from an allow list, not by removing what we know to be
// secret: rclone gets what it needs to find its binary, its configuration
// and its credentials, and nothing of ours (no CRM_*: the backup passphrase,
// the HubSpot token, the two-factor code).

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::offsite {

// From `ours` ("NAME=value" entries, as in environ): PATH, HOME, USER,
// LOGNAME, TMPDIR, TZ, LANG, LC_ALL, XDG_CONFIG_HOME, XDG_CACHE_HOME, every
// RCLONE_* (RCLONE_CONFIG, RCLONE_CONFIG_PASS, RCLONE_CONFIG_<REMOTE>_<OPTION>, flags), the
// variables rclone's backends read credentials from (AWS_*, AZURE_*,
// GOOGLE_APPLICATION_CREDENTIALS), TLS (SSL_CERT_FILE, SSL_CERT_DIR) and
// proxies (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, either case). Then defaults the
// user's RCLONE_* may override: RCLONE_RETRIES=1 and RCLONE_LOW_LEVEL_RETRIES=2
// (a remote that is down costs seconds, not minutes: the copy stays pending
// and the next run retries it), RCLONE_CONTIMEOUT=15s.
std::vector<std::string> rclone_environment(std::span<const std::string_view> ours);

// The same from this process's environment.
std::vector<std::string> rclone_environment();

}  // namespace crm::offsite
