// Feeds an undo file to PlanReader as `crm-restore undo` reads it
// (restore::make_undo_plan): the header of format crm-restore-undo, then
// every change, then the summary. The journal's SHA-256 binds the file to
// its restore, but the parser still must not trust it: a restore's undo
// file sits next to its plan, where anyone who can write there can replace
// it before the hash is recorded or after the journal is lost.
//
// make_undo_plan looks each change's properties up in the header's list and
// indexes by the position found, trusting PlanReader's promise that a change
// names only the header's properties; the target checks that promise.

#include "fuzz_input.hpp"

#include <crm/restore/plan_reader.hpp>

#include <algorithm>

using namespace crm::restore;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto& path = crm::fuzz::MemoryFile::write(data, size);
  crm::fuzz::accepts([&] {
    PlanReader undo(path, k_undo_format_name);
    const auto& recorded = undo.header().properties;
    PlanChange change;
    while (undo.next_change(change)) {
      crm::fuzz::require(change.properties.size() == change.before.size() &&
                             change.properties.size() == change.after.size(),
                         "a change has a before and an after value for each property");
      for (const auto& name : change.properties)
        crm::fuzz::require(std::find(recorded.begin(), recorded.end(), name) != recorded.end(),
                           "a change names only the header's properties");
    }
    undo.finish();
  });
  return 0;
}
