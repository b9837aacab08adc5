// gh_sdk_driver: a small program the Node integration tests run (tests/node/sdk*.test.mjs) so
// that the SDK itself does the HTTP: tokens with each client authentication method and DPoP,
// calls with them, and the Verifier on tokens of Gatehouse and of other servers.
// Prints one JSON object on stdout; exit 0 on success, 1 when the SDK returned an error.
#include <CLI/CLI.hpp>

#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "gatehouse/client/keys.hpp"
#include "gatehouse/client/management_client.hpp"
#include "gatehouse/client/token_client.hpp"
#include "gatehouse/client/verifier.hpp"

namespace json = boost::json;
using namespace gh::sdk;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string x; std::getline(ss, x, ',');)
    if (!x.empty()) out.push_back(x);
  return out;
}
int fail(const Error& e) {
  json::object o{{"ok", false}, {"error", e.code.message()}, {"status", e.status}, {"detail", e.detail}};
  std::cout << json::serialize(o) << "\n";
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"SDK driver for the integration tests"};
  app.require_subcommand(1);
  TokenClientOptions o;
  std::string method = "basic", key_file, secret_env, scopes, call_url, kid;
  bool dpop = false;
  int threads = 1;
  auto* tok = app.add_subcommand("token", "get a token (and optionally call a URL with it)");
  tok->add_option("--issuer", o.issuer);
  tok->add_option("--token-endpoint", o.token_endpoint);
  tok->add_option("--client-id", o.client_id)->required();
  tok->add_option("--method", method)->check(CLI::IsMember({"basic", "post", "key"}));
  tok->add_option("--secret-env", secret_env, "environment variable holding the secret");
  tok->add_option("--key-file", key_file, "PKCS#8 PEM or private JWK");
  tok->add_option("--kid", kid);
  tok->add_option("--scopes", scopes);
  tok->add_option("--resource", o.resource);
  tok->add_flag("--dpop", dpop);
  tok->add_option("--call", call_url);
  tok->add_option("--threads", threads);

  VerifierOptions v;
  std::string token, proof, req_method = "GET", req_url, scheme = "Bearer";
  auto* ver = app.add_subcommand("verify", "verify an access token");
  ver->add_option("--issuer", v.issuer)->required();
  ver->add_option("--audience", v.audience)->required();
  ver->add_option("--jwks-uri", v.jwks_uri);
  ver->add_option("--scopes", scopes);
  ver->add_option("--token", token)->required();
  ver->add_option("--scheme", scheme);
  ver->add_option("--dpop-proof", proof);
  ver->add_option("--method", req_method);
  ver->add_option("--url", req_url);
  CLI11_PARSE(app, argc, argv);

  if (tok->parsed()) {
    o.method = method == "basic" ? AuthMethod::client_secret_basic
               : method == "post" ? AuthMethod::client_secret_post
                                  : AuthMethod::private_key_jwt;
    if (!secret_env.empty())
      if (const char* s = std::getenv(secret_env.c_str())) o.client_secret = gh::core::SecretString(s);
    if (!key_file.empty()) {
      auto k = load_private_key(slurp(key_file), kid);
      if (!k) return fail(k.error());
      o.private_key = *k;
    }
    if (dpop) {
      auto k = generate_key(false);
      if (!k) return fail(k.error());
      o.dpop_key = *k;
    }
    o.scopes = split(scopes);
    auto c = TokenClient::create(std::move(o));
    if (!c) return fail(c.error());
    // Several threads at once: the single-flight refresh against a real server.
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&] { (void)(*c)->token(); });
    auto t = (*c)->token();
    for (auto& th : pool) th.join();
    if (!t) return fail(t.error());
    json::object out{{"ok", true}, {"access_token", t->value.reveal()}, {"token_type", t->token_type},
                     {"scope", t->scope}, {"token_requests", (*c)->requests_sent()},
                     {"token_endpoint", (*c)->token_endpoint()}};
    if (!call_url.empty()) {
      auto r = (*c)->call({"GET", call_url, {{"Accept", "application/json"}}, {}});
      if (!r) return fail(r.error());
      out["call_status"] = r->status;
      out["call_body"] = r->body;
    }
    std::cout << json::serialize(out) << "\n";
    return 0;
  }
  v.required_scopes = split(scopes);
  auto verifier = Verifier::create(std::move(v));
  if (!verifier) return fail(verifier.error());
  auto c = (*verifier)->verify({req_method, req_url, scheme + " " + token, proof});
  if (!c) return fail(c.error());
  json::array sc;
  for (auto& s : c->scopes) sc.push_back(json::value(s));
  std::cout << json::serialize(json::object{{"ok", true}, {"sub", c->subject}, {"client_id", c->client_id},
                                            {"scopes", sc}})
            << "\n";
  return 0;
}
