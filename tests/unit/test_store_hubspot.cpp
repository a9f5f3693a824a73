// The HubSpot backend's pieces that need no server: URL encoding of opaque
// cursors, values as the model's text, HubSpot's errors as one line, and how
// `hubspot:` is opened (token sources and their refusals, settings). The
// requests themselves are tested end to end against the fake HubSpot server
// (tests/cli/test_hubspot_*.py).

#include "support/error_of.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

#include <crm/base/error.hpp>
#include <crm/store/hubspot/api_client.hpp>
#include <crm/store/hubspot/record_pages.hpp>
#include <crm/store/store.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <sys/stat.h>

using namespace crm;
using crm::store::hubspot::Json;

namespace {

ErrorKind kind_of(const std::function<void()>& action) { return test::error_of(action).kind(); }

std::filesystem::path token_file(const test::TempDir& dir, mode_t mode)
{
  const auto path = dir / "token";
  std::ofstream(path) << "pat-na1-abc\n";
  ::chmod(path.c_str(), mode);
  return path;
}

}  // namespace

TEST_CASE("hubspot: cursors and property names are percent-encoded but for unreserved characters", "[store]")
{
  using store::hubspot::url_encode;
  CHECK(url_encode("abc-_.~XYZ019") == "abc-_.~XYZ019");
  CHECK(url_encode("+/=") == "%2B%2F%3D");
  CHECK(url_encode("a b,c&d") == "a%20b%2Cc%26d");
  CHECK(url_encode("\xc3\xa9") == "%C3%A9");
}

TEST_CASE("hubspot: values are kept exactly, null is empty", "[store]")
{
  using store::hubspot::value_text;
  CHECK(value_text(Json()) == "");
  CHECK(value_text(Json("  a,\"b\"\r\n")) == "  a,\"b\"\r\n");
  CHECK(value_text(Json(true)) == "true");
  CHECK(value_text(Json(12)) == "12");
}

TEST_CASE("hubspot: an error answer becomes one escaped line with its correlationId", "[store]")
{
  const Json body = {{"status", "error"},
                     {"message", "This app hasn't been granted all required scopes\n\x1b[31m"},
                     {"category", "MISSING_SCOPES"},
                     {"correlationId", "0f3c-42"}};
  const std::string line = store::hubspot::describe_error(403, body);
  CHECK(line.find("MISSING_SCOPES, correlationId 0f3c-42") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(store::hubspot::describe_error(502, Json()) == "status 502");
}

TEST_CASE("hubspot: the token comes from a file only its owner may read, or the environment", "[store]")
{
  test::TempDir dir;
  const test::ScopedEnv no_token("CRM_HUBSPOT_TOKEN", nullptr);
  {
    const test::ScopedEnv no_file("CRM_HUBSPOT_TOKEN_FILE", nullptr);
    CHECK(kind_of([] { store::open_store("hubspot:", store::Access::read_only); }) == ErrorKind::no_permission);
  }
  {
    const auto path = token_file(dir, 0644);
    const test::ScopedEnv file("CRM_HUBSPOT_TOKEN_FILE", path.c_str());
    CHECK(kind_of([] { store::open_store("hubspot:", store::Access::read_only); }) == ErrorKind::no_permission);
  }
  {
    const auto path = token_file(dir, 0600);
    const test::ScopedEnv file("CRM_HUBSPOT_TOKEN_FILE", path.c_str());
    CHECK(store::open_store("hubspot:", store::Access::read_only) != nullptr);  // opening sends nothing
    CHECK(kind_of([] { store::open_store("hubspot:", store::Access::read_only)->write(); }) ==
          ErrorKind::no_permission);
    CHECK(kind_of([] { store::open_store("hubspot:portal", store::Access::read_only); }) == ErrorKind::usage);
    const store::StoreSettings bad_tier{{"hubspot.tier", "platinum"}};
    CHECK(kind_of([&] { store::open_store("hubspot:", store::Access::read_only, bad_tier); }) == ErrorKind::config);
  }
  {
    const test::ScopedEnv no_file("CRM_HUBSPOT_TOKEN_FILE", nullptr);
    const test::ScopedEnv token("CRM_HUBSPOT_TOKEN", "pat na1");  // a space: not a token
    CHECK(kind_of([] { store::open_store("hubspot:", store::Access::read_only); }) == ErrorKind::no_permission);
  }
}

TEST_CASE("hubspot: a server that cannot be reached is unavailable, after a few quick tries", "[store]")
{
  const test::ScopedEnv token("CRM_HUBSPOT_TOKEN", "pat-na1-abc");
  const test::ScopedEnv no_file("CRM_HUBSPOT_TOKEN_FILE", nullptr);
  const test::ScopedEnv url("CRM_HUBSPOT_BASE_URL", "http://127.0.0.1:9");  // discard: nobody listens
  auto opened = store::open_store("hubspot:", store::Access::read_only);
  CHECK(kind_of([&] { opened->read()->account(); }) == ErrorKind::unavailable);
}
