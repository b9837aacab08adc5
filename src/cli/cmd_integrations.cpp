// gatehouse integrations init|validate|submit|test-instance: an API service integration's
// submission (ORG/integrations/api/v1/submissions, issue 15) from a manifest file kept in the
// integration's repository.
#include <CLI/CLI.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/client_common.hpp"
#include "cli/manifest.hpp"
#include "core/random.hpp"

namespace gh::cli {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSubmissions = "/integrations/api/v1/submissions";

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Integrations final : public CommandGroup {
 public:
  explicit Integrations(CLI::App& app) {
    auto* group = app.add_subcommand("integrations", "API service integrations (vendor side)");
    group->require_subcommand(1);
    init_ = group->add_subcommand("init", "Write a new manifest to fill in");
    init_->add_option("--key", key_, "The integration key: a-z, 0-9 and _")->required();
    init_->add_option("--name", name_, "The integration's name")->required();
    validate_ = group->add_subcommand("validate", "Check the manifest");
    submit_ = group->add_subcommand("submit", "Create or update the submission, then submit it for review");
    submit_->add_flag("--draft", draft_, "Only save the draft");
    submit_->add_flag("--json", json_, "Print the submission as JSON");
    test_ = group->add_subcommand("test-instance", "Ask for a test instance of the submitted integration");
    test_->add_flag("--json", json_, "Print the answer as JSON");
    for (auto* c : {init_, validate_, submit_, test_})
      c->add_option("--file", file_, "The manifest (default: gatehouse-integration.json)");
  }

  std::optional<int> run() override {
    if (init_->parsed()) return init();
    if (!validate_->parsed() && !submit_->parsed() && !test_->parsed()) return std::nullopt;
    auto text = slurp(file_);
    if (!text) return usage("integrations: cannot read " + file_ + " (create one with: gatehouse integrations init)");
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    if (ec || !v.is_object()) return usage("integrations: " + file_ + " is not a JSON object");
    manifest_ = v.as_object();
    auto problems = check_manifest(manifest_);
    if (!problems.empty() && !test_->parsed()) {
      std::cerr << "gatehouse: integrations: " << file_ << " has " << problems.size() << " problem(s):\n";
      for (auto& p : problems) std::cerr << "  " << p << "\n";
      return kUsage;
    }
    if (validate_->parsed()) {
      std::cout << file_ << ": ok\n";
      return kOk;
    }
    auto s = open_session();
    if (!s.api) return s.exit;
    return submit_->parsed() ? submit(*s.api) : test_instance(*s.api);
  }

 private:
  int init() {
    if (fs::exists(file_)) return usage("integrations init: " + file_ + " exists; not overwritten");
    std::ofstream out(file_);
    out << json::serialize(manifest_template(key_, name_)) << "\n";
    if (!out) return usage("integrations init: cannot write " + file_);
    std::cout << "Wrote " << file_ << ": fill in description, logo, contacts, scopes with their reasons and "
              << "configGuideUrl, then run: gatehouse integrations validate\n";
    return kOk;
  }

  // A logo file beside the manifest is uploaded (multipart/form-data, part "file"); a URL is
  // kept as it is.
  std::optional<int> upload_logo(sdk::ManagementClient& api) {
    auto logo = text(manifest_, {"logo"});
    if (logo.starts_with("https://") || logo.starts_with("http://")) return std::nullopt;
    auto path = (fs::path(file_).parent_path() / logo).string();
    auto bytes = slurp(path);
    if (!bytes) return usage("integrations submit: cannot read the logo " + path);
    auto ext = fs::path(path).extension().string();
    std::string type = ext == ".svg" ? "image/svg+xml" : (ext == ".jpg" || ext == ".jpeg") ? "image/jpeg" : "image/png";
    core::SecureRandom random;
    auto boundary = "gatehouse-" + core::random_base62(random, 24);
    std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                       fs::path(path).filename().string() + "\"\r\nContent-Type: " + type + "\r\n\r\n" + *bytes +
                       "\r\n--" + boundary + "--\r\n";
    auto res = api.request_body("POST", std::string(kSubmissions) + "/logo", "multipart/form-data; boundary=" + boundary,
                                std::move(body));
    if (!res) return fail("integrations submit: logo " + path, res.error());
    manifest_["logo"] = text(*res, {"url"});
    return std::nullopt;
  }

  int submit(sdk::ManagementClient& api) {
    auto id = text(manifest_, {"id"});
    if (auto rc = upload_logo(api)) return *rc;
    json::value body = manifest_;
    auto existing = api.request("GET", std::string(kSubmissions) + "/" + id);
    bool exists = true;
    if (!existing) {
      if (existing.error().status != 404) return fail("integrations submit: " + id, existing.error());
      exists = false;
    }
    auto saved = exists ? api.request("PUT", std::string(kSubmissions) + "/" + id, &body)
                        : api.request("POST", std::string(kSubmissions), &body);
    if (!saved) return fail("integrations submit: saving " + id, saved.error());
    if (!draft_) {
      auto r = api.request("POST", std::string(kSubmissions) + "/" + id + "/submit");
      if (!r) return fail("integrations submit: " + id, r.error());
    }
    auto now = api.request("GET", std::string(kSubmissions) + "/" + id);
    if (!now) return fail("integrations submit: " + id, now.error());
    if (json_) {
      print_json(*now);
    } else {
      std::cout << (exists ? "Updated " : "Created ") << id << "; status " << text(*now, {"status"}) << "\n";
    }
    return kOk;
  }

  // POST …/submissions/{id}/test-instance (built beside issue 15's review slice): prints the
  // answer as the server gives it.
  int test_instance(sdk::ManagementClient& api) {
    auto id = text(manifest_, {"id"});
    auto r = api.request("POST", std::string(kSubmissions) + "/" + id + "/test-instance");
    if (!r) return fail("integrations test-instance: " + id, r.error());
    if (json_ || !r->is_object()) {
      print_json(*r);
    } else {
      for (auto& [k, v] : r->as_object()) std::cout << std::string_view(k) << ": " << text(v, {}) << "\n";
    }
    return kOk;
  }

  CLI::App *init_, *validate_, *submit_, *test_;
  std::string file_ = "gatehouse-integration.json", key_, name_;
  bool draft_ = false, json_ = false;
  json::object manifest_;
};

}  // namespace

std::unique_ptr<CommandGroup> add_integrations(CLI::App& app) { return std::make_unique<Integrations>(app); }

}  // namespace gh::cli
