// partner-sync: what a partner's service does with Gatehouse (or Okta): obtain a token with
// private_key_jwt (RFC 7523) for okta.groups.read, then read every group, page by page.
//   partner-sync --org-url URL --client-id ID --key-file KEY.pem|KEY.json [--kid KID] [--page-size N]
// Prints one line per group ("<id> <name>") and then "synced N groups". Exit 0, or 1 with the
// reason on stderr.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "gatehouse/client/keys.hpp"
#include "gatehouse/client/management_client.hpp"
#include "gatehouse/client/token_client.hpp"

int main(int argc, char** argv) {
  std::string org_url, client_id, key_file, kid, page_size = "200";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--org-url") org_url = argv[i + 1];
    else if (a == "--client-id") client_id = argv[i + 1];
    else if (a == "--key-file") key_file = argv[i + 1];
    else if (a == "--kid") kid = argv[i + 1];
    else if (a == "--page-size") page_size = argv[i + 1];
  }
  if (org_url.empty() || client_id.empty() || key_file.empty()) {
    std::cerr << "usage: partner-sync --org-url URL --client-id ID --key-file FILE [--kid KID] [--page-size N]\n";
    return 2;
  }
  std::ifstream in(key_file);
  std::stringstream pem;
  pem << in.rdbuf();
  auto key = gh::sdk::load_private_key(pem.str(), kid);
  if (!key) {
    std::cerr << "partner-sync: " << key.error().message() << "\n";
    return 1;
  }
  gh::sdk::TokenClientOptions opts;
  opts.issuer = org_url;  // the org authorization server; discovery finds its token endpoint
  opts.client_id = client_id;
  opts.method = gh::sdk::AuthMethod::private_key_jwt;
  opts.private_key = *key;
  opts.scopes = {"okta.groups.read"};
  auto tokens = gh::sdk::TokenClient::create(std::move(opts));
  if (!tokens) {
    std::cerr << "partner-sync: " << tokens.error().message() << "\n";
    return 1;
  }
  gh::sdk::ManagementClient api(org_url, std::shared_ptr<gh::sdk::TokenClient>(std::move(*tokens)));
  auto groups = api.list("/api/v1/groups?limit=" + page_size);  // follows rel="next"
  if (!groups) {
    std::cerr << "partner-sync: " << groups.error().message() << "\n";
    return 1;
  }
  for (auto& g : *groups) {
    auto& o = g.as_object();
    std::cout << std::string_view(o.at("id").as_string()) << " "
              << std::string_view(o.at("profile").as_object().at("name").as_string()) << "\n";
  }
  std::cout << "synced " << groups->size() << " groups\n";
  return 0;
}
