// gatehouse api-tokens list|revoke: the org's API tokens (okta-compat.md §6, /api/v1/api-tokens).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/client_common.hpp"

namespace gh::cli {
namespace {

class ApiTokens final : public CommandGroup {
 public:
  explicit ApiTokens(CLI::App& app) {
    auto* group = app.add_subcommand("api-tokens", "List or revoke API tokens");
    group->require_subcommand(1);
    list_ = group->add_subcommand("list", "List API tokens (never their values)");
    list_->add_flag("--json", json_, "Print a JSON array");
    revoke_ = group->add_subcommand("revoke", "Revoke an API token");
    revoke_->add_option("id", id_, "Token id")->required();
  }

  std::optional<int> run() override {
    if (!list_->parsed() && !revoke_->parsed()) return std::nullopt;
    auto s = open_session();
    if (!s.api) return s.exit;
    if (revoke_->parsed()) {
      auto r = s.api->revoke_api_token(id_);
      if (!r) return fail("api-tokens revoke " + id_, r.error());
      std::cout << "Revoked " << id_ << "\n";
      return kOk;
    }
    auto tokens = s.api->list_api_tokens();
    if (!tokens) return fail("api-tokens list", tokens.error());
    if (json_) {
      print_json(*tokens);
      return kOk;
    }
    for (auto& t : *tokens)
      std::cout << text(t, {"id"}) << "  " << text(t, {"name"}) << "  user " << text(t, {"userId"})
                << "  created " << text(t, {"created"}) << "\n";
    return kOk;
  }

 private:
  CLI::App* list_;
  CLI::App* revoke_;
  std::string id_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<CommandGroup> add_api_tokens(CLI::App& app) { return std::make_unique<ApiTokens>(app); }

}  // namespace gh::cli
