#pragma once
// The management API in process, for tests: a real SQLite store in a temp dir, the read model,
// a FakeClock, seeded randomness, and orgs created the way `gatehouse init` creates them.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>

#include "api/common/management_api.hpp"
#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/time_format.hpp"
#include "keys/signing_keys.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/engine_parts.hpp"
#include "testing/temp_dir.hpp"

namespace gh::testing {

class OrgFixture : public ::testing::Test {
 protected:
  explicit OrgFixture(std::uint64_t seed = 7)
      : store_(store::open_sqlite_store(dir_.path() + "/g.db")),
        clock_(*core::parse_iso8601("2030-01-01T00:00:00Z")),
        random_(seed),
        pepper_(std::string(32, 'p')),
        sealer_(std::string(32, 'm')),
        keyring_(sealer_),
        deps_{*store_, directory_, clock_, random_, pepper_, sealer_, keyring_, {}, "http://gh.test", {}} {
    deps_.add_org = [this](store::OrgSnapshot s) -> model::OrgModel& {
      auto url = s.org.slug.empty() ? deps_.base_url : deps_.base_url + "/o/" + s.org.slug;
      return directory_.add(std::make_unique<model::OrgModel>(std::move(s), url, renderer_));
    };
  }

  domain::Millis now() const { return core::epoch_ms(clock_.now()); }
  // The management API as the composition root builds it.
  std::unique_ptr<api::ManagementApi> make_management_api() {
    return std::make_unique<api::ManagementApi>(deps_, parts_.verifier, parts_.resource_proofs);
  }

  struct NewOrg {
    model::OrgModel* org;
    std::string token;     // the admin's API token
    std::string admin_id;
  };
  // An org as `gatehouse init` (slug "") or POST /api/v1/orgs creates it.
  NewOrg add_org(std::string slug, std::string login = "admin@x.io") {
    auto b = api::bootstrap_org(random_, pepper_, sealer_, now(), slug, "Org " + slug,
                                {{"login", login}, {"email", "admin@x.io"}, {"firstName", "A"}, {"lastName", "D"}},
                                "x", 1);
    EXPECT_FALSE(b.error);
    EXPECT_TRUE(store_->create_org(b.org, b.changes));
    NewOrg out{nullptr, std::string(b.tokens[0].reveal()), b.admin_id};
    out.org = &deps_.add_org(*store_->load_org(core::OrgId{b.org.id}));
    return out;
  }

  // Commits `cs` to `org` and applies it to the model, as the writer thread does.
  void commit_to(model::OrgModel& org, const store::ChangeSet& cs) {
    ASSERT_TRUE(store_->commit(org.id(), cs));
    std::unique_lock lk(org.mutex());
    org.apply(cs);
  }

  // One request through `api` with `Authorization: SSWS token`; the request's views point into
  // this fixture, so one call at a time.
  http::Response send(api::ManagementApi& api, model::OrgModel& org, http::Method m, std::string path,
                      std::string body, const std::string& token, bool json_type = false) {
    http::Request req;
    req.method = m;
    auto q = path.find('?');
    query_ = q == std::string::npos ? "" : path.substr(q + 1);
    req.path = path.substr(0, q);
    req.query = query_;
    auth_ = "SSWS " + token;
    req.headers.emplace_back("Authorization", auth_);
    body_ = std::move(body);
    if (!body_.empty() || json_type) req.headers.emplace_back("Content-Type", "application/json");
    req.body = body_;
    req.request_id = "rid";
    return api.handle(req, org, req.path);
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  core::FakeClock clock_;
  core::SeededRandom random_;
  crypto::Pepper pepper_;
  crypto::Sealer sealer_;
  keys::KeyRing keyring_;
  model::Directory directory_;
  api::ApiRenderer renderer_;
  api::Deps deps_;
  EngineParts parts_{keyring_, clock_, &directory_};
  std::string query_, auth_, body_;
};

}  // namespace gh::testing
