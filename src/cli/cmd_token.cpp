// gatehouse token get --client-id ID (--key FILE | --secret-stdin) --scopes a,b: an access token
// by client credentials (the SDK's TokenClient), printed for curl.
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/client_common.hpp"
#include "gatehouse/client/keys.hpp"

namespace gh::cli {
namespace {

class Token final : public CommandGroup {
 public:
  explicit Token(CLI::App& app) {
    auto* group = app.add_subcommand("token", "Access tokens for a service app");
    group->require_subcommand(1);
    get_ = group->add_subcommand("get", "Get an access token (client credentials)");
    get_->add_option("--client-id", client_id_, "The app's client id")->required();
    auto* key = get_->add_option("--key", key_file_, "Private key file (PKCS#8 PEM or private JWK): private_key_jwt");
    auto* secret = get_->add_flag("--secret-stdin", secret_stdin_, "Read the client secret from stdin: client_secret_basic");
    key->excludes(secret);
    get_->add_option("--kid", kid_, "The key's kid (when the PEM has none and the app has several keys)");
    get_->add_option("--scopes", scopes_, "Scopes, comma-separated")->required();
    get_->add_option("--issuer", issuer_, "Authorization server (default: the profile's org URL)");
    get_->add_flag("--post", post_, "client_secret_post instead of client_secret_basic");
    get_->add_flag("--json", json_, "Print one JSON object");
  }

  std::optional<int> run() override {
    if (!get_->parsed()) return std::nullopt;
    if (key_file_.empty() == !secret_stdin_) return usage("token get: give --key FILE or --secret-stdin");
    if (issuer_.empty()) {
      std::string why;
      auto p = load_profile(&why);
      if (!p) {
        std::cerr << "gatehouse: token get: no --issuer and " << why << "\n";
        return kNoProfile;
      }
      issuer_ = p->org_url;
    }
    sdk::TokenClientOptions o;
    o.issuer = issuer_;
    o.client_id = client_id_;
    o.scopes = split_list(scopes_);
    if (!key_file_.empty()) {
      std::ifstream in(key_file_);
      if (!in) return usage("token get: cannot read " + key_file_);
      std::stringstream ss;
      ss << in.rdbuf();
      auto k = sdk::load_private_key(ss.str(), kid_);
      if (!k) return fail("token get: " + key_file_, k.error());
      o.method = sdk::AuthMethod::private_key_jwt;
      o.private_key = *k;
    } else {
      std::string secret;
      std::getline(std::cin, secret);
      while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
      if (secret.empty()) return usage("token get: no client secret on stdin");
      o.method = post_ ? sdk::AuthMethod::client_secret_post : sdk::AuthMethod::client_secret_basic;
      o.client_secret = core::SecretString(std::move(secret));
    }
    o.max_attempts = 2;
    auto c = sdk::TokenClient::create(std::move(o));
    if (!c) return fail("token get", c.error());
    auto t = (*c)->token();
    if (!t) return fail("token get", t.error());
    if (json_) {
      print_json(boost::json::object{{"access_token", t->value.reveal()}, {"token_type", t->token_type},
                                     {"scope", t->scope}, {"token_endpoint", (*c)->token_endpoint()}});
    } else {
      std::cout << t->value.reveal() << "\n";
    }
    return kOk;
  }

 private:
  CLI::App* get_;
  std::string client_id_, key_file_, kid_, scopes_, issuer_;
  bool secret_stdin_ = false, post_ = false, json_ = false;
};

}  // namespace

std::unique_ptr<CommandGroup> add_token(CLI::App& app) { return std::make_unique<Token>(app); }

}  // namespace gh::cli
