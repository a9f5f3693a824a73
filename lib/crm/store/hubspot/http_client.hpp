#pragma once
// One HTTP connection to HubSpot's API (libcurl): kept alive between
// requests, compressed responses, the token in a header and nowhere else.
// It only carries requests; pacing, retries and what a status means are
// ApiClient's.

#include <crm/base/secret_memory.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::store::hubspot {

struct HttpResponse {
  long status = 0;  // 0: no answer (transport_error says why)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string transport_error;                               // could not connect, timed out, connection reset
  bool is_unreachable = false;                               // no connection at all (refused, no route, no such host)

  // The first header named `name` (lowercase); empty when absent.
  std::string_view header(std::string_view name) const;
};

class HttpClient {
public:
  // `base_url` without a trailing slash ("https://api.hubapi.com").
  HttpClient(std::string base_url, const SecretString& token, std::chrono::seconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `target` is the path and query ("/crm/v3/objects/0-1?limit=100"); a
  // non-empty `json_body` makes it a POST. Never throws for an HTTP status.
  HttpResponse send(std::string_view target, std::string_view json_body = {});

  const std::string& base_url() const { return m_base_url; }

private:
  struct Curl;
  std::string m_base_url;
  std::unique_ptr<Curl> m_curl;
};

// Percent-encodes everything but RFC 3986's unreserved characters: cursors
// are opaque, property names are safe, and both go into query strings.
std::string url_encode(std::string_view text);

}  // namespace crm::store::hubspot
