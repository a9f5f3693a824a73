#pragma once
// HubSpot's API as the backend uses it: JSON in and out, every request paced
// by the rate budget, retried when HubSpot or the network says "later", and
// every refusal turned into one Error line with HubSpot's correlationId
// (docs/hubspot.md, "Errors"). Safe to call from several threads: each
// request borrows one of a few kept-alive connections.

#include <crm/store/hubspot/http_client.hpp>
#include <crm/store/hubspot/rate_budget.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace crm::store::hubspot {

using Json = nlohmann::json;

struct ApiSettings {
  std::string base_url = "https://api.hubapi.com";
  SecretString token;
  int requests_per_ten_seconds = 190;  // from the configured tier, corrected by headers
  int max_attempts = 8;                // per request, for 429, 5xx and network failures
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::seconds timeout{120};
};

struct ApiAnswer {
  long status = 0;
  Json body;  // null when the body was empty
};

// What the backend has done so far: the progress bar's requests and rate.
struct ApiCounters {
  std::atomic<std::int64_t> requests{0};
  std::atomic<std::int64_t> retries{0};
};

class ApiClient {
public:
  explicit ApiClient(ApiSettings settings);
  ~ApiClient();

  // GET or (with a body) POST `target`. Answers with a status in `accepted`
  // are returned; 2xx are always accepted; anything else, after retries,
  // throws Error (401/403 no_permission, 404 not_found, 429 temp_fail, 5xx
  // and no connection unavailable, a body that is not JSON data).
  ApiAnswer get(std::string_view target, std::initializer_list<long> accepted = {});
  ApiAnswer post(std::string_view target, const Json& body, std::initializer_list<long> accepted = {});
  // The search API has a budget of its own (5 requests a second).
  ApiAnswer search(std::string_view target, const Json& body);

  const ApiCounters& counters() const { return m_counters; }

  // While one lives, the requests this thread sends are background ones
  // (RateBudget::Priority): they use only what the foreground leaves.
  class BackgroundScope {
  public:
    BackgroundScope();
    ~BackgroundScope();
    BackgroundScope(const BackgroundScope&) = delete;
    BackgroundScope& operator=(const BackgroundScope&) = delete;
  };

private:
  // Every request takes a place in m_budget's window, a search one in
  // `search_budget`'s too.
  ApiAnswer send(std::string_view target, const std::string& body, std::initializer_list<long> accepted,
                 RateBudget* search_budget);
  HttpResponse send_once(std::string_view target, const std::string& body);

  ApiSettings m_settings;
  RateBudget m_budget;
  RateBudget m_search_budget;
  ApiCounters m_counters;
  std::mutex m_pool_mutex;
  std::vector<std::unique_ptr<HttpClient>> m_idle;
};

// HubSpot's error JSON as one line, for error lines:
// "<message> (<category>, correlationId <id>)", escaped and capped.
std::string describe_error(long status, const Json& body);

}  // namespace crm::store::hubspot
