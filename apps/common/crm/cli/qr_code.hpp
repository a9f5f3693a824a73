#pragma once
// A QR code drawn with terminal characters, for `crm-restore 2fa enroll` at a
// terminal: two modules per character cell (upper and lower half blocks), a
// quiet zone of four modules, dark modules drawn as the terminal's
// background. Made with libqrencode.

#include <string>
#include <string_view>

namespace crm::cli {

// The lines of the code for `text`, each ending in '\n'. Error(internal) when
// libqrencode cannot encode it.
std::string qr_code_text(std::string_view text);

}  // namespace crm::cli
