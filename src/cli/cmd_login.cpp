// gatehouse login --org-url URL [--json]: checks an API token (GATEHOUSE_API_TOKEN, or the first
// line of stdin) with GET /api/v1/users/me and saves the profile (mode 0600).
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/client_common.hpp"

namespace gh::cli {
namespace {

class Login final : public CommandGroup {
 public:
  explicit Login(CLI::App& app) {
    cmd_ = app.add_subcommand("login", "Save an org URL and API token as your profile");
    cmd_->add_option("--org-url", org_url_, "The org URL, e.g. https://id.example.com")->required();
    cmd_->add_flag("--json", json_, "Print one JSON object");
    cmd_->footer("The API token is read from GATEHOUSE_API_TOKEN, or else from stdin.");
  }

  std::optional<int> run() override {
    if (!cmd_->parsed()) return std::nullopt;
    while (!org_url_.empty() && org_url_.back() == '/') org_url_.pop_back();
    if (auto ok = sdk::check_url(org_url_); !ok) return fail("login", ok.error());
    std::string token;
    if (const char* t = std::getenv("GATEHOUSE_API_TOKEN"); t && *t) {
      token = t;
    } else {
      std::getline(std::cin, token);
    }
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    if (token.empty()) return usage("login: no API token (set GATEHOUSE_API_TOKEN or pipe it to stdin)");
    sdk::ManagementClient api(org_url_, core::SecretString(token));
    auto me = api.request("GET", "/api/v1/users/me");
    if (!me) return fail("login: the token was not accepted", me.error());
    if (auto err = save_profile({org_url_, token})) {
      std::cerr << "gatehouse: login: " << *err << "\n";
      return kFailed;
    }
    auto login = text(*me, {"profile", "login"});
    if (json_) {
      print_json(boost::json::object{{"orgUrl", org_url_}, {"login", login}, {"profile", profile_path()}});
    } else {
      std::cout << "Logged in to " << org_url_ << " as " << login << "\nProfile: " << profile_path() << "\n";
    }
    return kOk;
  }

 private:
  CLI::App* cmd_;
  std::string org_url_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<CommandGroup> add_login(CLI::App& app) { return std::make_unique<Login>(app); }

}  // namespace gh::cli
