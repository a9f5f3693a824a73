#include "crm/store/hubspot/http_client.hpp"

#include <crm/base/error.hpp>
#include <crm/base/lowercase.hpp>
#include <crm/base/secret_memory.hpp>

#include <curl/curl.h>
#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <mutex>

namespace crm::store::hubspot {

namespace {

// curl_global_init is not thread-safe; the first client does it once.
void initialize_curl_once()
{
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw Error(ErrorKind::internal, "libcurl could not be initialized");
  });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* response)
{
  static_cast<HttpResponse*>(response)->body.append(data, size * count);
  return size * count;
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* response)
{
  const std::string_view line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = lowercase(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    static_cast<HttpResponse*>(response)->headers.emplace_back(std::move(name), std::string(value));
  }
  return size * count;
}

}  // namespace

struct HttpClient::Curl {
  CURL* handle = nullptr;
  curl_slist* get_headers = nullptr;
  curl_slist* post_headers = nullptr;
  std::string authorization;

  ~Curl()
  {
    // libcurl keeps its own copy of each header (the token's among them).
    for (curl_slist* list : {get_headers, post_headers})
      for (curl_slist* item = list; item != nullptr; item = item->next)
        ::explicit_bzero(item->data, std::strlen(item->data));
    curl_slist_free_all(get_headers);
    curl_slist_free_all(post_headers);
    if (handle != nullptr)
      curl_easy_cleanup(handle);
    wipe(authorization);
  }
};

std::string_view HttpResponse::header(std::string_view name) const
{
  for (const auto& [key, value] : headers)
    if (key == name)
      return value;
  return {};
}

HttpClient::HttpClient(std::string base_url, const SecretString& token, std::chrono::seconds timeout)
    : m_base_url(std::move(base_url)), m_curl(std::make_unique<Curl>())
{
  initialize_curl_once();
  while (!m_base_url.empty() && m_base_url.back() == '/')
    m_base_url.pop_back();
  m_curl->handle = curl_easy_init();
  if (m_curl->handle == nullptr)
    throw Error(ErrorKind::internal, "libcurl could not make a handle");
  constexpr std::string_view k_bearer = "Authorization: Bearer ";
  m_curl->authorization.reserve(k_bearer.size() + token.size());  // one buffer, wiped at the end
  m_curl->authorization.append(k_bearer).append(token.view());
  for (curl_slist** list : {&m_curl->get_headers, &m_curl->post_headers}) {
    *list = curl_slist_append(*list, m_curl->authorization.c_str());
    *list = curl_slist_append(*list, "Accept: application/json");
  }
  m_curl->post_headers = curl_slist_append(m_curl->post_headers, "Content-Type: application/json");
  CURL* curl = m_curl->handle;
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // "": every encoding this libcurl decodes (gzip, deflate, br where built in).
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 15L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  // The token must not follow a redirect to another host, nor go anywhere
  // but HTTP(S).
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "crm-backup/" CRM_VERSION);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(std::string_view target, std::string_view json_body)
{
  HttpResponse response;
  CURL* curl = m_curl->handle;
  const std::string url = m_base_url + std::string(target);
  const std::string body(json_body);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  if (json_body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, m_curl->get_headers);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, m_curl->post_headers);
  }
  const CURLcode code = curl_easy_perform(curl);
  // The handle must not keep a pointer into `body`, which dies here.
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);
  if (code != CURLE_OK) {
    response.status = 0;
    response.transport_error = curl_easy_strerror(code);
    response.is_unreachable =
        code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY;
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string url_encode(std::string_view text)
{
  std::string encoded;
  encoded.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~')
      encoded.push_back(c);
    else
      encoded += fmt::format("%{:02X}", byte);
  }
  return encoded;
}

}  // namespace crm::store::hubspot
