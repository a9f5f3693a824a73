#include "crm/cli/qr_code.hpp"

#include <crm/base/error.hpp>

#include <qrencode.h>

#include <memory>

namespace crm::cli {

namespace {

constexpr int k_quiet_zone = 4;

}  // namespace

std::string qr_code_text(std::string_view text)
{
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code)
    throw Error(ErrorKind::internal, "cannot draw the QR code", "enter the secret by hand from the otpauth URI");
  const int width = code->width;
  // Light is drawn, dark left blank: on a dark terminal the code reads as a
  // scanner expects (dark modules on a light ground).
  auto is_dark = [&](int x, int y) {
    x -= k_quiet_zone;
    y -= k_quiet_zone;
    if (x < 0 || y < 0 || x >= width || y >= width)
      return false;
    return (code->data[y * width + x] & 1) != 0;
  };
  const int size = width + 2 * k_quiet_zone;
  std::string out;
  for (int y = 0; y < size; y += 2) {
    for (int x = 0; x < size; ++x) {
      const bool top = !is_dark(x, y);
      const bool bottom = y + 1 < size && !is_dark(x, y + 1);
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += '\n';
  }
  return out;
}

}  // namespace crm::cli
