#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/restore/run_state.hpp>

#include <nlohmann/json.hpp>

namespace crm::restore {

using nlohmann::json;

RunState::RunState(const std::filesystem::path& store_path)
    : m_lock_path(store_path.string() + ".restore-lock"), m_status_path(store_path.string() + ".restore-status")
{
}

FileLock RunState::lock() const
{
  auto lock = FileLock::try_acquire(m_lock_path);
  if (!lock)
    throw Error(ErrorKind::temp_fail, "another restore is running on this store",
                "wait for it to finish (crm-restore status) and run again");
  return std::move(*lock);
}

bool RunState::is_running() const
{
  if (!std::filesystem::exists(m_lock_path))
    return false;
  return !FileLock::try_acquire(m_lock_path).has_value();
}

void RunState::write(const RunRecord& record) const
{
  const json content = {
      {"state", record.state},         {"run_id", record.run_id},         {"user", record.user},
      {"object", record.object},       {"plan", record.plan},             {"plan_hash", record.plan_hash},
      {"started_at", record.started_at}, {"finished_at", record.finished_at}, {"import_id", record.import_id},
      {"error", record.error},
  };
  write_file_atomically(m_status_path, content.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

std::optional<RunRecord> RunState::read() const
{
  if (!std::filesystem::exists(m_status_path))
    return std::nullopt;
  try {
    const json content = json::parse(read_small_file(m_status_path, 1 << 20));
    RunRecord record;
    record.state = content.at("state").get<std::string>();
    record.run_id = content.at("run_id").get<std::string>();
    record.user = content.at("user").get<std::string>();
    record.object = content.at("object").get<std::string>();
    record.plan = content.at("plan").get<std::string>();
    record.plan_hash = content.at("plan_hash").get<std::string>();
    record.started_at = content.at("started_at").get<UnixTime>();
    record.finished_at = content.at("finished_at").get<UnixTime>();
    record.import_id = content.at("import_id").get<std::int64_t>();
    record.error = content.at("error").get<std::string>();
    return record;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace crm::restore
