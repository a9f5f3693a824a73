#include "crm/catalog/remote_copies.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/state_names.hpp>

#include <fmt/format.h>

#include <array>

namespace crm::catalog {

namespace {

constexpr std::array<std::string_view, 4> k_copy_state_names{"pending", "copied", "failed", "pruned"};

constexpr std::string_view k_copy_columns =
    "remote_name, backup_id, created_at, state, reason, attempts, updated_at, sidecar";

RemoteCopy copy_from_row(const sql::Statement& row)
{
  RemoteCopy copy;
  copy.remote_name = row.text(0);
  copy.backup_id = row.text(1);
  copy.created_at = row.integer(2);
  copy.state = parse_copy_state(row.text(3));
  copy.reason = row.text(4);
  copy.attempts = row.integer(5);
  copy.updated_at = row.integer(6);
  copy.sidecar = row.text(7);
  return copy;
}

std::vector<RemoteCopy> all_rows(sql::Statement& select)
{
  std::vector<RemoteCopy> copies;
  while (select.step())
    copies.push_back(copy_from_row(select));
  return copies;
}

}  // namespace

std::string_view to_string(CopyState state) { return state_name(k_copy_state_names, state); }

CopyState parse_copy_state(std::string_view text)
{
  return parse_state_name<CopyState>(k_copy_state_names, text, "copy state");
}

RemoteCopies::RemoteCopies(const std::filesystem::path& directory, sql::OpenMode mode)
    : m_db(directory / "catalog.sqlite", mode, "backup catalog")
{
}

bool RemoteCopies::has_tables() { return m_db.user_version() >= 3; }

void RemoteCopies::add_remote(const Remote& remote)
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  if (find_remote(remote.name))
    throw Error(ErrorKind::usage, fmt::format("a remote named {} exists already", remote.name),
                "crm-backup remote list shows it; remove it first or choose another name");
  auto insert = m_db.prepare("INSERT INTO remotes (name, destination, added_at) VALUES (?, ?, ?)");
  insert.bind(1, remote.name).bind(2, remote.destination).bind(3, remote.added_at);
  insert.run();
  transaction.commit();
}

bool RemoteCopies::remove_remote(std::string_view name)
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  auto erase_copies = m_db.prepare("DELETE FROM remote_copies WHERE remote_name = ?");
  erase_copies.bind(1, name);
  erase_copies.run();
  auto erase = m_db.prepare("DELETE FROM remotes WHERE name = ?");
  erase.bind(1, name);
  erase.run();
  const bool is_removed = m_db.changes() == 1;
  transaction.commit();
  return is_removed;
}

std::vector<Remote> RemoteCopies::remotes()
{
  std::vector<Remote> remotes;
  if (!has_tables())
    return remotes;
  auto select = m_db.prepare("SELECT name, destination, added_at FROM remotes ORDER BY name");
  while (select.step())
    remotes.push_back(Remote{std::string(select.text(0)), std::string(select.text(1)), select.integer(2)});
  return remotes;
}

std::optional<Remote> RemoteCopies::find_remote(std::string_view name)
{
  if (!has_tables())
    return std::nullopt;
  auto select = m_db.prepare("SELECT name, destination, added_at FROM remotes WHERE name = ?");
  select.bind(1, name);
  if (!select.step())
    return std::nullopt;
  return Remote{std::string(select.text(0)), std::string(select.text(1)), select.integer(2)};
}

RemoteCopy RemoteCopies::ensure_copy(const RemoteCopy& copy)
{
  RemoteCopy pending = copy;
  pending.state = CopyState::pending;
  pending.attempts = 0;
  write_copy("INSERT OR IGNORE", pending);
  auto select =
      m_db.prepare(fmt::format("SELECT {} FROM remote_copies WHERE remote_name = ? AND backup_id = ?", k_copy_columns));
  select.bind(1, copy.remote_name).bind(2, copy.backup_id);
  select.step();
  return copy_from_row(select);
}

void RemoteCopies::record_attempt(std::string_view remote_name, std::string_view backup_id, CopyState state,
                                  std::string_view reason, UnixTime at)
{
  auto update = m_db.prepare("UPDATE remote_copies SET state = ?, reason = ?, attempts = attempts + 1, "
                             "updated_at = ? WHERE remote_name = ? AND backup_id = ?");
  update.bind(1, to_string(state)).bind(2, reason).bind(3, at).bind(4, remote_name).bind(5, backup_id);
  update.run();
}

void RemoteCopies::put_copy(const RemoteCopy& copy) { write_copy("INSERT OR REPLACE", copy); }

void RemoteCopies::write_copy(std::string_view insert, const RemoteCopy& copy)
{
  auto statement =
      m_db.prepare(fmt::format("{} INTO remote_copies ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", insert, k_copy_columns));
  statement.bind(1, copy.remote_name)
      .bind(2, copy.backup_id)
      .bind(3, copy.created_at)
      .bind(4, to_string(copy.state))
      .bind(5, copy.reason)
      .bind(6, copy.attempts)
      .bind(7, copy.updated_at)
      .bind(8, copy.sidecar);
  statement.run();
}

void RemoteCopies::erase_copy(std::string_view remote_name, std::string_view backup_id)
{
  auto erase = m_db.prepare("DELETE FROM remote_copies WHERE remote_name = ? AND backup_id = ?");
  erase.bind(1, remote_name).bind(2, backup_id);
  erase.run();
}

std::vector<RemoteCopy> RemoteCopies::copies(std::string_view remote_name)
{
  if (!has_tables())
    return {};
  auto select = m_db.prepare(fmt::format("SELECT {} FROM remote_copies WHERE ?1 = '' OR remote_name = ?1 "
                                         "ORDER BY created_at DESC, backup_id DESC, remote_name",
                                         k_copy_columns));
  select.bind(1, remote_name);
  return all_rows(select);
}

std::vector<RemoteCopy> RemoteCopies::copies_of(std::string_view backup_id)
{
  if (!has_tables())
    return {};
  auto select = m_db.prepare(
      fmt::format("SELECT {} FROM remote_copies WHERE backup_id = ? ORDER BY remote_name", k_copy_columns));
  select.bind(1, backup_id);
  return all_rows(select);
}

}  // namespace crm::catalog
