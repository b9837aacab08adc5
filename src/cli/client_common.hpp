#pragma once
// What the client commands of the CLI share (README.md "The CLI"): exit codes, error output,
// the profile written by `gatehouse login`, and JSON printing. The commands speak to a server
// only through the SDK (sdk/, gatehouse/client/…).
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gatehouse/client/management_client.hpp"

namespace CLI {
class App;
}

namespace gh::cli {

// Exit codes of the client commands (README.md "Exit codes").
enum Exit : int {
  kOk = 0,
  kFailed = 1,         // anything not below (e.g. a file that cannot be written)
  kUsage = 2,          // bad arguments or input
  kNoProfile = 3,      // not logged in: no profile, or an unreadable one
  kUnauthorized = 4,   // the server refused the credentials (401, invalid_client)
  kForbidden = 5,      // authenticated but not allowed (403)
  kNotFound = 6,       // no such resource (404)
  kRefused = 7,        // any other refusal of the server (400, 409, 429, 5xx)
  kUnreachable = 8,    // no answer: connection, TLS, timeout, or an http:// URL not on loopback
};

// Prints "gatehouse: <what>: <message>" on stderr and returns the exit code for `e`.
int fail(std::string_view what, const sdk::Error& e);
int usage(std::string_view message);  // stderr, kUsage

// The profile: org URL and SSWS API token, in $XDG_CONFIG_HOME/gatehouse/profile.json (or
// ~/.config/gatehouse/profile.json); the folder has mode 0700, the file 0600.
struct Profile {
  std::string org_url;
  std::string api_token;
};
std::string profile_path();
// Errors: the message for stderr.
std::optional<std::string> save_profile(const Profile& p);
std::optional<Profile> load_profile(std::string* why);

// A ManagementClient for the saved profile, or the exit code (message already printed).
struct Session {
  std::unique_ptr<sdk::ManagementClient> api;
  int exit = kOk;
};
Session open_session();

void print_json(const boost::json::value& v);  // one line on stdout
std::vector<std::string> split_list(const std::string& csv);
std::string text(const boost::json::value& v, std::initializer_list<std::string_view> path);

// Each group of commands adds its subcommands and runs the one that was parsed.
class CommandGroup {
 public:
  virtual ~CommandGroup() = default;
  virtual std::optional<int> run() = 0;  // nullopt: none of this group's commands was parsed
};
std::unique_ptr<CommandGroup> add_login(CLI::App& app);
std::unique_ptr<CommandGroup> add_apps(CLI::App& app);
std::unique_ptr<CommandGroup> add_token(CLI::App& app);
std::unique_ptr<CommandGroup> add_api_tokens(CLI::App& app);
std::unique_ptr<CommandGroup> add_logs(CLI::App& app);
std::unique_ptr<CommandGroup> add_integrations(CLI::App& app);

}  // namespace gh::cli
