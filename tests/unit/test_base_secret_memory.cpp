#include <crm/base/secret_memory.hpp>

#include <catch2/catch.hpp>

#include <new>
#include <string>
#include <string_view>
#include <type_traits>

using crm::SecretString;

namespace {

bool is_all_zero(const char* bytes, std::size_t size)
{
  for (std::size_t index = 0; index < size; ++index)
    if (bytes[index] != '\0')
      return false;
  return true;
}

}  // namespace

TEST_CASE("wipe zeroes a string's whole buffer, bytes past its size included", "[base]")
{
  std::string secret(100, 'x');
  secret.resize(10);  // what strip_line_break does: the bytes after stay in the buffer
  const char* buffer = secret.data();
  const std::size_t capacity = secret.capacity();
  crm::wipe(secret);
  CHECK(secret.empty());
  REQUIRE(secret.data() == buffer);  // the buffer is still the string's: looking is allowed
  CHECK(is_all_zero(buffer, capacity));
}

TEST_CASE("SecretString cannot be copied, only moved", "[base]")
{
  STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<SecretString>);
  STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<SecretString>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<SecretString, std::string>);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<SecretString>);
}

TEST_CASE("SecretString wipes the string it is made from, and its buffer when cleared", "[base]")
{
  std::string typed(64, 'k');
  const char* typed_buffer = typed.data();
  SecretString secret(std::move(typed));
  CHECK(secret == std::string(64, 'k'));
  CHECK(typed.empty());  // NOLINT(bugprone-use-after-move): the constructor promises to wipe it
  CHECK(is_all_zero(typed_buffer, 64));

  const char* buffer = secret.data();
  secret.clear();
  CHECK(secret.empty());
  CHECK(is_all_zero(buffer, 64));
}

TEST_CASE("SecretString wipes what a move leaves behind", "[base]")
{
  SecretString from(std::string(64, 'k'));
  const char* buffer = from.data();
  SecretString to(std::move(from));
  CHECK(to == std::string(64, 'k'));
  CHECK(from.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(is_all_zero(buffer, 64));

  SecretString assigned;
  const char* to_buffer = to.data();
  assigned = std::move(to);
  CHECK(assigned == std::string(64, 'k'));
  CHECK(is_all_zero(to_buffer, 64));
}

TEST_CASE("SecretString wipes a short secret kept inside the object when destroyed", "[base]")
{
  // A short string lives in the object itself, so the storage the object
  // occupied shows what its destructor left behind.
  alignas(SecretString) unsigned char storage[sizeof(SecretString)];
  auto* secret = new (storage) SecretString(std::string("493201"));
  REQUIRE(secret->view() == "493201");
  secret->~SecretString();
  const std::string_view bytes(reinterpret_cast<const char*>(storage), sizeof storage);
  CHECK(bytes.find("4932") == std::string_view::npos);
}
