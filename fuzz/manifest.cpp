// Feeds snapshot::parse_manifest, which reads manifest.json out of every
// archive that verify, show, restore plan and diff open: JSON from a file
// anyone who can write the repository could have made.
//
// A manifest it accepts must come back the same through to_json, the writer
// of every backup: written, read again and written again, the bytes do not
// change.

#include "fuzz_input.hpp"

#include <crm/snapshot/manifest.hpp>

#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  crm::snapshot::Manifest manifest;
  if (!crm::fuzz::accepts([&] { manifest = crm::snapshot::parse_manifest(text); }))
    return 0;
  const std::string written = crm::snapshot::to_json(manifest);
  crm::snapshot::Manifest again;
  crm::fuzz::require(crm::fuzz::accepts([&] { again = crm::snapshot::parse_manifest(written); }),
                     "a manifest written by to_json reads back");
  crm::fuzz::require(crm::snapshot::to_json(again) == written,
                     "a manifest written, read and written again is the same");
  return 0;
}
