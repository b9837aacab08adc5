// gatehouse apps create service|list|get|deactivate|delete: OIDC service apps
// (okta-compat.md §5) through the SDK's ManagementClient.
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <iostream>

#include "cli/client_common.hpp"
#include "core/random.hpp"
#include "gatehouse/client/keys.hpp"

namespace gh::cli {
namespace json = boost::json;
namespace {

void print_app(const json::value& a) {
  std::cout << text(a, {"id"}) << "  " << text(a, {"label"}) << "  " << text(a, {"status"}) << "  client_id "
            << text(a, {"credentials", "oauthClient", "client_id"}) << "  auth "
            << text(a, {"credentials", "oauthClient", "token_endpoint_auth_method"}) << "\n";
}

class Apps final : public CommandGroup {
 public:
  explicit Apps(CLI::App& app) {
    auto* group = app.add_subcommand("apps", "Service apps");
    group->require_subcommand(1);
    auto* create = group->add_subcommand("create", "Create an app");
    create->require_subcommand(1);
    service_ = create->add_subcommand("service", "A service app (client credentials)");
    service_->add_option("--name", name_, "The app's label")->required();
    auto* gen = service_->add_flag("--generate-key", generate_key_, "private_key_jwt with a new RSA key");
    auto* sec = service_->add_flag("--client-secret", client_secret_, "client_secret_basic with a secret");
    gen->excludes(sec);
    service_->add_option("--scopes", scopes_, "Okta scopes to grant, comma-separated");
    service_->add_option("--role", role_, "Admin role to assign to the app, e.g. READ_ONLY_ADMIN");
    service_->add_flag("--json", json_, "Print one JSON object");
    list_ = group->add_subcommand("list", "List apps");
    list_->add_option("--limit", limit_, "At most this many");
    list_->add_flag("--json", json_, "Print a JSON array");
    get_ = group->add_subcommand("get", "Show an app");
    get_->add_option("id", id_, "App id")->required();
    get_->add_flag("--json", json_, "Print the app as JSON");
    deactivate_ = group->add_subcommand("deactivate", "Deactivate an app");
    deactivate_->add_option("id", id_, "App id")->required();
    delete_ = group->add_subcommand("delete", "Delete an app (deactivate it first)");
    delete_->add_option("id", id_, "App id")->required();
  }

  std::optional<int> run() override {
    CLI::App* all[] = {service_, list_, get_, deactivate_, delete_};
    if (std::none_of(std::begin(all), std::end(all), [](CLI::App* c) { return c->parsed(); })) return std::nullopt;
    if (service_->parsed() && generate_key_ == client_secret_)
      return usage("apps create service: give --generate-key or --client-secret");
    auto s = open_session();
    if (!s.api) return s.exit;
    auto& api = *s.api;
    if (service_->parsed()) return create(api);
    if (list_->parsed()) {
      auto apps = api.list_apps(limit_);
      if (!apps) return fail("apps list", apps.error());
      if (json_) {
        print_json(*apps);
      } else {
        for (auto& a : *apps) print_app(a);
      }
      return kOk;
    }
    if (get_->parsed()) {
      auto a = api.get_app(id_);
      if (!a) return fail("apps get " + id_, a.error());
      if (json_) {
        print_json(*a);
      } else {
        print_app(*a);
      }
      return kOk;
    }
    auto r = deactivate_->parsed() ? api.deactivate_app(id_) : api.delete_app(id_);
    if (!r) return fail(std::string("apps ") + (deactivate_->parsed() ? "deactivate " : "delete ") + id_, r.error());
    std::cout << (deactivate_->parsed() ? "Deactivated " : "Deleted ") << id_ << "\n";
    return kOk;
  }

 private:
  // Creates the app, grants its scopes and role; on a failure after the app exists, the app is
  // deactivated and deleted again, so that a refused scope leaves nothing behind.
  int create(sdk::ManagementClient& api) {
    std::optional<jose::Jwk> key;
    json::object public_jwk;
    if (generate_key_) {
      core::SecureRandom random;
      auto k = sdk::generate_key(true, sdk::random_id(random, 12));  // RS256: Okta's default
      if (!k) return fail("apps create service", k.error());
      key = *k;
      public_jwk = key->to_public_json();
      public_jwk["alg"] = "RS256";
    }
    auto app = api.create_service_app(name_, generate_key_, generate_key_ ? &public_jwk : nullptr);
    if (!app) return fail("apps create service", app.error());
    auto id = text(*app, {"id"});
    auto client_id = text(*app, {"credentials", "oauthClient", "client_id"});
    auto undo = [&](std::string_view what, const sdk::Error& e) {
      (void)api.deactivate_app(id);
      (void)api.delete_app(id);
      return fail(std::string("apps create service: ") + std::string(what) + " (the app was removed again)", e);
    };
    json::array granted;
    for (auto& scope : split_list(scopes_)) {
      auto g = api.grant_scope(id, scope);
      if (!g) return undo("granting " + scope, g.error());
      granted.push_back(json::value(scope));
    }
    if (!role_.empty())
      if (auto r = api.assign_client_role(client_id, role_); !r) return undo("assigning " + role_, r.error());
    json::object out{{"id", id}, {"clientId", client_id}, {"scopes", granted}};
    if (!role_.empty()) out["role"] = role_;
    if (key) {
      auto pem = sdk::private_key_pem(*key);
      if (!pem) return undo("key", pem.error());
      out["kid"] = key->kid();
      out["privateKeyPem"] = *pem;
    } else {
      out["clientSecret"] = text(*app, {"credentials", "oauthClient", "client_secret"});
    }
    if (json_) {
      print_json(out);
      return kOk;
    }
    std::cout << "Created service app " << id << "\nClient ID: " << client_id << "\n";
    if (key) {
      std::cout << "Key ID: " << key->kid() << "\nPrivate key (shown once; keep it safe):\n"
                << text(out, {"privateKeyPem"});
    } else {
      std::cout << "Client secret (shown once; keep it safe): " << text(out, {"clientSecret"}) << "\n";
    }
    return kOk;
  }

  CLI::App *service_, *list_, *get_, *deactivate_, *delete_;
  std::string name_, scopes_, role_, id_;
  bool generate_key_ = false, client_secret_ = false, json_ = false;
  std::size_t limit_ = 0;
};

}  // namespace

std::unique_ptr<CommandGroup> add_apps(CLI::App& app) { return std::make_unique<Apps>(app); }

}  // namespace gh::cli
