// gatehouse: the command line (README.md "Command line").
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/client_common.hpp"
#include "config/config.hpp"
#include "server/app.hpp"
#include "server/backup.hpp"

namespace {
std::string read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string s;
  std::getline(in, s);
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Gatehouse: a self-hostable authorization server for API integrations"};
  app.require_subcommand(1);

  gh::server::InitOptions init;
  std::string password_file;
  auto* init_cmd = app.add_subcommand("init", "Create the first org, its admin and API tokens");
  init_cmd->add_option("--data", init.data_dir, "Data directory")->required();
  init_cmd->add_option("--base-url", init.base_url, "The first org's URL")->required();
  init_cmd->add_option("--admin-email", init.admin_email, "The admin's login and email")->required();
  init_cmd->add_option("--admin-password-file", password_file, "File holding the admin's password");
  init_cmd->add_option("--api-tokens", init.api_tokens, "API tokens to create for the admin")
      ->check(CLI::Range(0, 100));
  init_cmd->add_flag("--json", init.json, "Print one JSON object");
  init_cmd->add_option("--store", init.store, "postgresql://… (default: SQLite in the data directory)");

  std::string data_dir, listen, base_url, config_file, tls_cert, tls_key, store, log_format;
  unsigned threads = 0;
  auto* serve_cmd = app.add_subcommand("serve", "Serve until SIGTERM or SIGINT");
  serve_cmd->add_option("--data", data_dir, "Data directory")->required();
  serve_cmd->add_option("--listen", listen, "HOST:PORT (port 0 takes a free port)");
  serve_cmd->add_option("--base-url", base_url, "The first org's URL (default: http:// + bound address)");
  serve_cmd->add_option("--config", config_file, "TOML configuration file");
  serve_cmd->add_option("--threads", threads, "I/O threads (default: one per core)");
  serve_cmd->add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS (with --tls-key)");
  serve_cmd->add_option("--tls-key", tls_key, "PEM private key of that certificate (mode 0600)");
  serve_cmd->add_option("--store", store, "postgresql://… (default: the config's store, else SQLite in --data)");
  serve_cmd->add_option("--log-format", log_format, "text (default) or json: one JSON object per log line")
      ->check(CLI::IsMember({"text", "json"}));

  // SQLite backups (docs/deployment.md "Backups"); the master key is never in them.
  std::string backup_data, backup_out, restore_from, restore_data, restore_key;
  auto* backup_cmd = app.add_subcommand("backup", "Copy a SQLite data directory's database, online");
  backup_cmd->add_option("--data", backup_data, "Data directory (may be served meanwhile)")->required();
  backup_cmd->add_option("--out", backup_out, "The backup file to create (never overwritten)")->required();
  auto* restore_cmd = app.add_subcommand("restore", "Make a new data directory from a backup");
  restore_cmd->add_option("--from", restore_from, "A file made by gatehouse backup")->required();
  restore_cmd->add_option("--data", restore_data, "A new or empty data directory (or holding only master.key)")->required();
  restore_cmd->add_option("--master-key", restore_key, "The backed-up directory's master.key, copied in");

  std::string migrate_data, migrate_store;
  auto* migrate_cmd = app.add_subcommand("migrate", "Apply the store's pending schema migrations");
  migrate_cmd->add_option("--store", migrate_store, "postgresql://…");
  migrate_cmd->add_option("--data", migrate_data, "Data directory (its SQLite database, without --store)");

  // The client commands (README.md "The CLI"), built on the SDK.
  std::vector<std::unique_ptr<gh::cli::CommandGroup>> clients;
  clients.push_back(gh::cli::add_login(app));
  clients.push_back(gh::cli::add_apps(app));
  clients.push_back(gh::cli::add_token(app));
  clients.push_back(gh::cli::add_api_tokens(app));
  clients.push_back(gh::cli::add_logs(app));
  clients.push_back(gh::cli::add_integrations(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help, or the error and the usage
    return rc == 0 ? 0 : gh::cli::kUsage;
  }
  try {
    for (auto& c : clients)
      if (auto rc = c->run()) return *rc;
    if (init_cmd->parsed()) {
      if (!password_file.empty()) init.admin_password = read_password_file(password_file);
      if (init.admin_email.find('@') == std::string::npos) {
        std::cerr << "gatehouse: --admin-email must be an email address\n";
        return 2;
      }
      return gh::server::run_init(init);
    }
    if (backup_cmd->parsed()) return gh::server::run_backup(backup_data, backup_out);
    if (restore_cmd->parsed()) return gh::server::run_restore(restore_from, restore_data, restore_key);
    if (migrate_cmd->parsed()) {
      if (migrate_store.empty() == migrate_data.empty()) {
        std::cerr << "gatehouse: migrate takes one of --store or --data\n";
        return 2;
      }
      return gh::server::run_migrate(migrate_data, migrate_store);
    }
    gh::config::Config cfg;
    if (!config_file.empty()) {
      auto loaded = gh::config::load_file(config_file);
      if (auto* issues = std::get_if<std::vector<gh::config::ConfigIssue>>(&loaded)) {
        for (auto& i : *issues) std::cerr << "gatehouse: config " << i.key << ": " << i.message << "\n";
        return 2;
      }
      cfg = std::get<gh::config::Config>(loaded);
    }
    if (!listen.empty()) cfg.listen = listen;
    if (!base_url.empty()) cfg.base_url = base_url;
    if (serve_cmd->count("--threads")) cfg.threads = threads;
    if (!tls_cert.empty() || !tls_key.empty()) {  // the flags replace the file's [tls] pair
      if (tls_cert.empty() || tls_key.empty()) {
        std::cerr << "gatehouse: --tls-cert and --tls-key go together: both, or neither\n";
        return 2;
      }
      cfg.tls.cert_file = tls_cert;
      cfg.tls.key_file = tls_key;
    }
    if (!store.empty()) cfg.store = store;
    if (!log_format.empty()) cfg.log_format = log_format;
    return gh::server::run_serve(data_dir, cfg);
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }
}
