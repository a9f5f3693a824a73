// Feeds a restore plan file to PrivatePlan and PlanReader exactly as
// `crm-restore apply` reads it: the private copy with its hash checked (the
// input's own SHA-256 is given as the confirmed one, so the bytes reach the
// parser), then the changes, the deleted records and the summary. A plan is
// a file a user may have edited or been handed; apply must refuse a damaged
// one before it writes anything.
//
// What PlanReader accepts must also encode again to lines it accepts: the
// header and each change, re-encoded, read and encoded again, keep their
// bytes (apply and undo write such lines from what they read).

#include "fuzz_input.hpp"

#include <crm/crypto/sha256.hpp>
#include <crm/restore/plan_codec.hpp>
#include <crm/restore/plan_reader.hpp>
#include <crm/restore/private_plan.hpp>

#include <string>
#include <string_view>

namespace {

using namespace crm::restore;

void check_header(const PlanHeader& header)
{
  const std::string line = encode_header(header, k_plan_format_name);
  DecodedLine decoded;
  crm::fuzz::require(crm::fuzz::accepts([&] { decode_line(line, "re-encoded header", decoded); }),
                     "a re-encoded header decodes");
  crm::fuzz::require(decoded.kind == LineKind::header && encode_header(decoded.header, decoded.format_name) == line,
                     "a header encoded, decoded and encoded again is the same");
}

void check_change(const PlanChange& change)
{
  const std::string line = encode_change(change);
  DecodedLine decoded;
  crm::fuzz::require(crm::fuzz::accepts([&] { decode_line(line, "re-encoded change", decoded); }),
                     "a re-encoded change decodes");
  crm::fuzz::require(decoded.kind == LineKind::change && encode_change(decoded.change) == line,
                     "a change encoded, decoded and encoded again is the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto& path = crm::fuzz::MemoryFile::write(data, size);
  crm::fuzz::accepts([&] {
    const PrivatePlan plan(path, crm::crypto::sha256_hex(bytes));
    check_header(plan.header());
    PlanReader changes(plan.path());
    PlanChange change;
    while (changes.next_change(change))
      check_change(change);
    DeletedRecord deleted;
    while (changes.next_deleted(deleted)) {
    }
    changes.finish();
  });
  return 0;
}
