#pragma once
// RFC 4648 base32 (alphabet A-Z, 2-7): the form in which authenticator apps
// show TOTP secrets and in which the store keeps them.

#include <optional>
#include <string>
#include <string_view>

namespace crm::crypto {

// Upper case, without '=' padding (otpauth:// URIs and authenticator apps
// omit it).
std::string base32_encode(std::string_view bytes);

// Case-insensitive; spaces ignored (secrets are often shown in groups of
// four); '=' padding optional but, when present, only at the end and to a
// multiple of eight characters. std::nullopt for anything else, including a
// length no encoder produces. The message of an error built from this must
// not quote the text: it may be a secret.
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace crm::crypto
