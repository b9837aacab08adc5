// TokenClient: the token request (RFC 6749 §4.4.2), its authentication (RFC 6749 §2.3.1,
// RFC 7523 §2.2), DPoP (RFC 9449 §5, §8), the cache and single-flight refresh, and retries.
#include "gatehouse/client/token_client.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/base64.hpp"
#include "gatehouse/client/keys.hpp"

namespace gh::sdk {
namespace json = boost::json;
using namespace std::chrono;

namespace {
const core::SystemClock kSystemClock;
ThreadSleeper kSleeper;
core::SecureRandom kRandom;

std::string join(const std::vector<std::string>& v, char sep) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : std::string(1, sep)) + x;
  return s;
}

// The "error" and "error_description" of an RFC 6749 §5.2 body, for Error::detail.
std::string oauth_detail(const HttpResponse& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec || !v.is_object()) return r.body.substr(0, 200);
  std::string d;
  if (auto* e = v.as_object().if_contains("error"); e && e->is_string()) d = std::string(e->as_string());
  if (auto* e = v.as_object().if_contains("error_description"); e && e->is_string())
    d += ": " + std::string(e->as_string());
  return d;
}

bool is_use_dpop_nonce(const HttpResponse& r) {
  if (r.status == 400) return oauth_detail(r).starts_with("use_dpop_nonce");  // RFC 9449 §8
  auto www = r.header("WWW-Authenticate");                                    // RFC 9449 §9
  return r.status == 401 && www && www->find("use_dpop_nonce") != std::string_view::npos;
}
}  // namespace

TokenClient::TokenClient(TokenClientOptions opts, Deps deps) : opts_(std::move(opts)), deps_(std::move(deps)) {
  if (!deps_.transport) deps_.transport = make_beast_transport();
  if (!deps_.clock) deps_.clock = &kSystemClock;
  if (!deps_.sleeper) deps_.sleeper = &kSleeper;
  if (!deps_.random) deps_.random = &kRandom;
}

Result<std::unique_ptr<TokenClient>> TokenClient::create(TokenClientOptions opts, Deps deps) {
  if (opts.client_id.empty()) return Error(Errc::bad_config, 0, "client_id is required");
  if (opts.method == AuthMethod::private_key_jwt && !(opts.private_key && opts.private_key->is_private()))
    return Error(Errc::bad_config, 0, "private_key_jwt needs a private key");
  if (opts.method != AuthMethod::private_key_jwt && opts.client_secret.empty())
    return Error(Errc::bad_config, 0, "a client secret is required");
  if (opts.dpop_key && !opts.dpop_key->is_private()) return Error(Errc::bad_config, 0, "DPoP needs a private key");
  if (opts.token_endpoint.empty() && opts.issuer.empty())
    return Error(Errc::bad_config, 0, "an issuer or a token endpoint is required");
  for (auto* u : {&opts.token_endpoint, &opts.issuer})
    if (!u->empty())
      if (auto ok = check_url(*u); !ok) return ok.error();
  opts.max_attempts = std::max(1, opts.max_attempts);
  return std::unique_ptr<TokenClient>(new TokenClient(std::move(opts), std::move(deps)));
}

int TokenClient::requests_sent() const {
  std::lock_guard lk(mu_);
  return requests_;
}

void TokenClient::invalidate() {
  std::lock_guard lk(mu_);
  cached_.reset();
}

Result<AccessToken> TokenClient::token() {
  std::unique_lock lk(mu_);
  for (;;) {
    auto now = deps_.clock->now();
    if (cached_ && now + opts_.refresh_before < cached_->expires_at) return *cached_;
    if (!in_flight_) break;
    // Another thread is renewing a token that has not expired yet: keep using it meanwhile.
    if (cached_ && now < cached_->expires_at) return *cached_;
    // Single flight: wait for the request another thread is making, then take its outcome.
    auto gen = generation_;
    cv_.wait(lk, [&] { return !in_flight_ || generation_ != gen; });
    if (generation_ != gen && last_error_) return *last_error_;
    if (generation_ != gen && cached_) return *cached_;
  }
  in_flight_ = true;
  lk.unlock();
  auto got = fetch();
  lk.lock();
  in_flight_ = false;
  ++generation_;
  if (got) {
    cached_ = *got;
    last_error_.reset();
  } else {
    last_error_ = got.error();
  }
  cv_.notify_all();
  return got;
}

Result<void> TokenClient::resolve_endpoint() {
  if (!token_endpoint_.empty()) return {};
  if (!opts_.token_endpoint.empty()) {
    token_endpoint_ = opts_.token_endpoint;
    return {};
  }
  auto md = discover(*deps_.transport, opts_.issuer);
  if (!md) return md.error();
  token_endpoint_ = md->token_endpoint;
  return {};
}

Result<HttpRequest> TokenClient::token_request(const std::string& nonce) {
  HttpRequest req{"POST", token_endpoint_, {{"Content-Type", "application/x-www-form-urlencoded"},
                                            {"Accept", "application/json"}}, {}};
  std::string& b = req.body;
  b = "grant_type=client_credentials";  // RFC 6749 §4.4.2
  if (!opts_.scopes.empty()) b += "&scope=" + form_encode(join(opts_.scopes, ' '));
  if (!opts_.resource.empty()) b += "&resource=" + form_encode(opts_.resource);  // RFC 8707 §2
  switch (opts_.method) {
    case AuthMethod::client_secret_basic: {
      // RFC 6749 §2.3.1: both parts form-encoded before Basic encoding.
      auto cred = form_encode(opts_.client_id) + ":" + form_encode(opts_.client_secret.reveal());
      req.headers.emplace_back("Authorization", "Basic " + core::base64_encode(cred));
      break;
    }
    case AuthMethod::client_secret_post:  // RFC 6749 §2.3.1
      b += "&client_id=" + form_encode(opts_.client_id) +
           "&client_secret=" + form_encode(opts_.client_secret.reveal());
      break;
    case AuthMethod::private_key_jwt: {  // RFC 7523 §2.2, a fresh jti for every attempt
      auto jwt = client_assertion(*opts_.private_key, opts_.client_id, token_endpoint_,
                                  deps_.clock->now(), *deps_.random);
      if (!jwt) return jwt.error();
      b += "&client_id=" + form_encode(opts_.client_id) +
           "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
           "&client_assertion=" + *jwt;
      break;
    }
  }
  if (opts_.dpop_key) {  // RFC 9449 §5: a proof for the token request
    auto proof = dpop_proof(*opts_.dpop_key, "POST", token_endpoint_, deps_.clock->now(), *deps_.random, nonce);
    if (!proof) return proof.error();
    req.headers.emplace_back("DPoP", *proof);
  }
  return req;
}

Result<AccessToken> TokenClient::fetch() {
  if (auto ok = resolve_endpoint(); !ok) return ok.error();
  std::string nonce;
  {
    std::lock_guard lk(mu_);
    nonce = as_nonce_;
  }
  bool nonce_retried = false;
  Error last(Errc::transport_failed);
  for (int attempt = 1; attempt <= opts_.max_attempts;) {
    auto req = token_request(nonce);
    if (!req) return req.error();
    {
      std::lock_guard lk(mu_);
      ++requests_;
    }
    auto res = deps_.transport->send(*req);
    std::optional<milliseconds> wait;
    if (!res) {
      last = res.error();
    } else {
      if (auto n = res->header("DPoP-Nonce"); n && opts_.dpop_key) {
        nonce = std::string(*n);
        std::lock_guard lk(mu_);
        as_nonce_ = nonce;
      }
      if (res->status == 200) {
        boost::system::error_code ec;
        auto v = json::parse(res->body, ec);
        if (ec || !v.is_object()) return Error(Errc::bad_response, 200, "token response is not JSON");
        auto& o = v.as_object();
        auto* at = o.if_contains("access_token");
        if (!at || !at->is_string()) return Error(Errc::bad_response, 200, "no access_token");
        AccessToken t;
        t.value = core::SecretString(std::string(at->as_string()));
        if (auto* tt = o.if_contains("token_type"); tt && tt->is_string()) t.token_type = std::string(tt->as_string());
        if (auto* sc = o.if_contains("scope"); sc && sc->is_string()) t.scope = std::string(sc->as_string());
        std::int64_t ttl = 300;  // RFC 6749 §5.1: expires_in RECOMMENDED; assume a short life
        if (auto* e = o.if_contains("expires_in"); e && e->is_number()) ttl = e->to_number<std::int64_t>();
        t.expires_at = deps_.clock->now() + seconds(ttl);
        return t;
      }
      if (opts_.dpop_key && !nonce_retried && is_use_dpop_nonce(*res) && !nonce.empty()) {
        nonce_retried = true;  // RFC 9449 §8: retry once with the server's nonce
        continue;
      }
      if (res->status != 429 && res->status < 500)
        return Error(Errc::oauth_error, res->status, oauth_detail(*res));
      last = Error(Errc::http_status, res->status, oauth_detail(*res));
      wait = retry_hint(*res, deps_.clock->now());
    }
    if (attempt == opts_.max_attempts) break;
    auto backoff = std::min(opts_.max_backoff, opts_.backoff * (1 << (attempt - 1)));
    deps_.sleeper->sleep_for(std::min(opts_.max_backoff, wait.value_or(backoff)));
    ++attempt;
  }
  return last;
}

Result<HttpResponse> TokenClient::call(HttpRequest req) {
  auto t = token();
  if (!t) return t.error();
  bool dpop = opts_.dpop_key && t->token_type == "DPoP";
  std::string nonce;
  {
    std::lock_guard lk(mu_);
    nonce = rs_nonce_;
  }
  for (int round = 0;; ++round) {
    HttpRequest r = req;
    if (dpop) {
      auto proof = dpop_proof(*opts_.dpop_key, r.method, r.url, deps_.clock->now(), *deps_.random,
                              nonce, t->value.reveal());  // RFC 9449 §7.1: with ath
      if (!proof) return proof.error();
      r.headers.emplace_back("Authorization", "DPoP " + std::string(t->value.reveal()));
      r.headers.emplace_back("DPoP", *proof);
    } else {
      r.headers.emplace_back("Authorization", "Bearer " + std::string(t->value.reveal()));
    }
    auto res = deps_.transport->send(r);
    if (!res) return res.error();
    auto n = res->header("DPoP-Nonce");
    if (dpop && n && round == 0 && is_use_dpop_nonce(*res)) {  // RFC 9449 §9
      nonce = std::string(*n);
      std::lock_guard lk(mu_);
      rs_nonce_ = nonce;
      continue;
    }
    return res;
  }
}

}  // namespace gh::sdk
