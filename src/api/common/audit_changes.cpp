// describe_changes: the System Log events of a ChangeSet, derived by comparing each change with
// the model before it is applied. Event types are Okta's catalog names (okta-compat.md §5;
// developer.okta.com/docs/reference/api/event-types); targets carry ids and names only.
#include <boost/json/value.hpp>

#include <map>
#include <set>
#include <utility>

#include "api/common/audit.hpp"
#include "domain/json_fields.hpp"
#include "domain/permissions.hpp"

namespace gh::api::audit {
namespace {
namespace json = boost::json;
namespace kind = domain::kind;
using domain::LogTarget;
using domain::UserStatus;

enum Act { create, update, activate, deactivate, remove, act_count };

struct DocKind {
  std::string_view kind;
  std::string_view target_type;
  std::string_view name_key;   // body member naming the object
  std::string_view parent_kind;  // "" = top level
  std::string_view noun;
  std::string_view types[act_count];  // "" = no event for that action
};

const DocKind kDocKinds[] = {
    {kind::app, "AppInstance", "label", "", "application",
     {"application.lifecycle.create", "application.lifecycle.update", "application.lifecycle.activate",
      "application.lifecycle.deactivate", "application.lifecycle.delete"}},
    {kind::client_secret, "ClientSecret", "", kind::app, "client secret",
     {"app.oauth2.credentials.lifecycle.create", "", "app.oauth2.credentials.lifecycle.activate",
      "app.oauth2.credentials.lifecycle.deactivate", "app.oauth2.credentials.lifecycle.delete"}},
    {kind::app_key, "JsonWebKey", "kid", kind::app, "client key",
     {"app.oauth2.credentials.lifecycle.create", "", "app.oauth2.credentials.lifecycle.activate",
      "app.oauth2.credentials.lifecycle.deactivate", "app.oauth2.credentials.lifecycle.delete"}},
    {kind::scope_grant, "OAuth2ScopeConsentGrant", "scopeId", kind::app, "scope grant",
     {"app.oauth2.admin.consent.grant", "", "", "", "app.oauth2.admin.consent.revoke"}},
    {kind::auth_server, "AuthorizationServer", "name", "", "authorization server",
     {"oauth2.as.created", "oauth2.as.updated", "oauth2.as.activated", "oauth2.as.deactivated",
      "oauth2.as.deleted"}},
    {kind::as_scope, "OAuth2Scope", "name", kind::auth_server, "OAuth 2.0 scope",
     {"oauth2.scope.created", "oauth2.scope.updated", "oauth2.scope.updated", "oauth2.scope.updated",
      "oauth2.scope.deleted"}},
    {kind::as_claim, "OAuth2Claim", "name", kind::auth_server, "OAuth 2.0 claim",
     {"oauth2.claim.created", "oauth2.claim.updated", "oauth2.claim.updated", "oauth2.claim.updated",
      "oauth2.claim.deleted"}},
    {kind::as_policy, "PolicyEntity", "name", kind::auth_server, "policy",
     {"policy.lifecycle.create", "policy.lifecycle.update", "policy.lifecycle.activate",
      "policy.lifecycle.deactivate", "policy.lifecycle.delete"}},
    {kind::as_rule, "PolicyRule", "name", kind::as_policy, "policy rule",
     {"policy.rule.add", "policy.rule.update", "policy.rule.activate", "policy.rule.deactivate",
      "policy.rule.delete"}},
    // API service integrations (issue 15): Okta's catalog has no public names for OIN submission
    // events, so these follow its pattern; `oin.submission.submit` is recorded in describe().
    {kind::submission, "OinSubmission", "name", "", "API service integration submission",
     {"oin.submission.create", "oin.submission.update", "", "", "oin.submission.delete"}},
    {kind::integration_logo, "OinLogo", "", "", "API service integration logo",
     {"oin.submission.logo.upload", "", "", "", "oin.submission.logo.delete"}},
};
constexpr std::string_view kVerbs[act_count] = {"Create", "Update", "Activate", "Deactivate", "Delete"};

const DocKind* doc_kind(std::string_view k) {
  for (auto& d : kDocKinds)
    if (d.kind == k) return &d;
  return nullptr;
}

using domain::str_member;

class Describer {
 public:
  Describer(const Ctx& ctx, const store::ChangeSet& changes) : ctx_(ctx), changes_(changes) {
    for (auto& c : changes_) {
      if (auto* p = std::get_if<store::PutDocument>(&c)) pending_docs_[{p->doc.kind, p->doc.id}] = &p->doc;
      if (auto* u = std::get_if<store::PutUser>(&c)) pending_users_[u->user.id] = &u->user;
      if (auto* g = std::get_if<store::PutGroup>(&c)) pending_groups_[g->group.id] = &g->group;
      if (auto* d = std::get_if<store::DeleteDocument>(&c)) deleted_docs_.insert({d->kind, d->id});
    }
  }

  store::ChangeSet run() {
    for (auto& c : changes_) std::visit([&](auto& ch) { describe(ch); }, c);
    key_rollovers();
    return std::move(out_);
  }

 private:
  void add(std::string_view type, std::string message, std::vector<LogTarget> targets,
           json::object debug = {}) {
    auto e = request_event(ctx_, type, std::move(message), std::move(targets));
    for (auto& [k, v] : debug) e.debug_data[k] = v;
    out_.push_back(store::AppendEvent{std::move(e)});
  }

  // Documents and directory objects as they are after this ChangeSet where it writes them.
  const domain::Document* doc(std::string_view k, std::string_view id) const {
    if (auto it = pending_docs_.find({std::string(k), std::string(id)}); it != pending_docs_.end()) return it->second;
    return ctx_.org.doc(k, id);
  }
  const domain::User* user(const std::string& id) const {
    if (auto it = pending_users_.find(id); it != pending_users_.end()) return it->second;
    auto* e = ctx_.org.user(core::UserId{id});
    return e ? &e->user : nullptr;
  }
  const domain::Group* group(const std::string& id) const {
    if (auto it = pending_groups_.find(id); it != pending_groups_.end()) return it->second;
    auto* e = ctx_.org.group(id);
    return e ? &e->group : nullptr;
  }
  bool created_here(std::string_view k, const std::string& id) const {
    return pending_docs_.count({std::string(k), id}) && !ctx_.org.doc(k, id);
  }
  // Whether an ancestor of `d` is created (or deleted) by this ChangeSet: its own event says it.
  bool ancestor_in(const DocKind& info, const domain::Document& d, bool deleted) const {
    const DocKind* k = &info;
    std::string parent = d.parent;
    while (k && !k->parent_kind.empty()) {
      std::pair<std::string, std::string> key{std::string(k->parent_kind), parent};
      if (deleted ? deleted_docs_.count(key) > 0 : created_here(k->parent_kind, parent)) return true;
      auto* p = doc(k->parent_kind, parent);
      if (!p) return false;
      k = doc_kind(k->parent_kind);
      parent = p->parent;
    }
    return false;
  }

  LogTarget doc_target(const DocKind& k, const domain::Document& d) const {
    std::string name(k.name_key.empty() ? std::string_view(d.id) : str_member(d.body, k.name_key));
    return {d.id, std::string(k.target_type), name, name, {}};
  }
  std::vector<LogTarget> doc_targets(const DocKind& k, const domain::Document& d) const {
    std::vector<LogTarget> t{doc_target(k, d)};
    if (!k.parent_kind.empty())
      if (auto* p = doc(k.parent_kind, d.parent)) t.insert(t.begin(), doc_target(*doc_kind(k.parent_kind), *p));
    return t;
  }
  // The `_gh.integration` of the app that `d` is or belongs to, when that app is an API service
  // integration instance (issue 15).
  const json::object* instance_of(const domain::Document& d) const {
    const domain::Document* app = d.kind == kind::app ? &d : nullptr;
    if (!app && (d.kind == kind::client_secret || d.kind == kind::app_key || d.kind == kind::scope_grant))
      app = doc(kind::app, d.parent);
    auto* gh = app ? app->body.if_contains("_gh") : nullptr;
    auto* i = gh && gh->is_object() ? gh->get_object().if_contains("integration") : nullptr;
    return i ? i->if_object() : nullptr;
  }
  // An instance's install, consent and uninstall are recorded by their handlers
  // (oin.integration.*, api/integrations/instances.hpp), not as app and grant changes.
  bool recorded_by_handler(const domain::Document& d) const {
    return (d.kind == kind::app || d.kind == kind::scope_grant) && instance_of(d);
  }

  void doc_event(const DocKind& k, Act act, const domain::Document& d) {
    auto type = k.types[act];
    if (type.empty()) return;
    std::string msg = std::string(kVerbs[act]) + " " + std::string(k.noun);
    if (k.kind == kind::scope_grant) msg = act == create ? "Grant scope to client" : "Revoke scope from client";
    json::object debug;
    if (k.kind == kind::scope_grant) debug["scope"] = std::string(str_member(d.body, "scopeId"));
    if (auto* i = instance_of(d)) {  // an instance's secret: name the integration (issue 15)
      debug["vendorOrg"] = std::string(str_member(*i, "vendorOrg"));
      debug["integrationType"] = std::string(str_member(*i, "type"));
      debug["instanceId"] = d.parent;
      auto* t = i->if_contains("testInstance");
      debug["testInstance"] = t && t->is_bool() && t->get_bool();
    }
    add(type, std::move(msg), doc_targets(k, d), std::move(debug));
  }

  void describe(const store::PutDocument& c) {
    auto& d = c.doc;
    if (d.kind == kind::signing_key) return rollover_of(d.parent);
    auto* k = doc_kind(d.kind);
    if (!k || recorded_by_handler(d)) return;
    auto* old = ctx_.org.doc(d.kind, d.id);
    if (!old) {
      // Children made with their parent (an AS's system scopes) are part of the parent's event,
      // except an app's credentials: a secret or key that can authenticate is always recorded.
      if (d.kind != kind::client_secret && d.kind != kind::app_key && ancestor_in(*k, d, false)) return;
      doc_event(*k, create, d);
      if (d.kind == kind::app && str_member(d.body, "status") == "ACTIVE") doc_event(*k, activate, d);
      return;
    }
    auto was = str_member(old->body, "status"), now = str_member(d.body, "status");
    if (d.kind == kind::submission && was != now && now == "SUBMITTED")
      return add("oin.submission.submit", "Submit API service integration", doc_targets(*k, d));
    if (was != now && (now == "ACTIVE" || now == "INACTIVE")) return doc_event(*k, now == "ACTIVE" ? activate : deactivate, d);
    if (d.kind == kind::auth_server) updated_servers_.insert(d.id);  // reported after rollovers
    else doc_event(*k, update, d);
  }
  void describe(const store::DeleteDocument& c) {
    auto* old = ctx_.org.doc(c.kind, c.id);
    if (!old) return;
    if (c.kind == kind::signing_key) return rollover_of(old->parent);
    auto* k = doc_kind(c.kind);
    if (!k || ancestor_in(*k, *old, true) || recorded_by_handler(*old)) return;
    doc_event(*k, remove, *old);
  }

  void rollover_of(const std::string& as_id) {
    if (!as_id.empty() && created_here(kind::auth_server, as_id)) return;  // keys made with their AS
    rollovers_.insert(as_id);
  }
  // app.oauth2.as.key.rollover (custom AS) / app.oauth2.key.rollover (org AS): once per AS.
  void key_rollovers() {
    for (auto& as_id : rollovers_) {
      std::vector<LogTarget> t;
      json::object debug;
      if (auto* as = doc(kind::auth_server, as_id)) {
        t.push_back(doc_target(*doc_kind(kind::auth_server), *as));
        if (auto* cred = as->body.if_contains("credentials"); cred && cred->is_object())
          if (auto* s = cred->as_object().if_contains("signing"); s && s->is_object())
            debug["kid"] = std::string(str_member(s->as_object(), "kid"));
      } else {
        t.push_back({ctx_.org.org().id, "AuthorizationServer", ctx_.org.url(), "Org Authorization Server", {}});
      }
      add(as_id.empty() ? "app.oauth2.key.rollover" : "app.oauth2.as.key.rollover",
          "Authorization server signing keys rotated", std::move(t), std::move(debug));
    }
    for (auto& id : updated_servers_)
      if (!rollovers_.count(id))
        if (auto* as = doc(kind::auth_server, id)) doc_event(*doc_kind(kind::auth_server), update, *as);
  }

  void describe(const store::PutUser& c) {
    auto& u = c.user;
    auto* e = ctx_.org.user(core::UserId{u.id});
    auto t = [&] { return std::vector<LogTarget>{domain::user_target(u)}; };
    if (!e) {
      add("user.lifecycle.create", "Create Okta user", t());
      if (u.status == UserStatus::ACTIVE || u.status == UserStatus::PROVISIONED)
        add("user.lifecycle.activate", "Activate Okta user", t());
      return;
    }
    auto& old = e->user;
    if (old.status != u.status || old.activated != u.activated) {
      if (u.status == UserStatus::SUSPENDED) add("user.lifecycle.suspend", "Suspend Okta user", t());
      else if (u.status == UserStatus::DEPROVISIONED) add("user.lifecycle.deactivate", "Deactivate Okta user", t());
      else if (old.status == UserStatus::SUSPENDED) add("user.lifecycle.unsuspend", "Unsuspend Okta user", t());
      else if (old.status == UserStatus::PROVISIONED) add("user.lifecycle.reactivate", "Reactivate Okta user", t());
      else add("user.lifecycle.activate", "Activate Okta user", t());
    }
    if (old.profile != u.profile) add("user.account.update_profile", "Update user profile for Okta", t());
    if (old.password_hash != u.password_hash) add("user.account.update_password", "Update password for Okta user", t());
  }
  void describe(const store::DeleteUser& c) {
    auto* e = ctx_.org.user(core::UserId{c.id});
    if (!e) return;
    add("user.lifecycle.delete.initiated", "Delete Okta user", {domain::user_target(e->user)});
    add("user.lifecycle.delete.completed", "Delete Okta user completed", {domain::user_target(e->user)});
  }
  void describe(const store::PutGroup& c) {
    auto* e = ctx_.org.group(c.group.id);
    if (!e) return add("group.lifecycle.create", "Create Okta group", {domain::group_target(c.group)});
    if (e->group.profile != c.group.profile)
      add("group.profile.update", "Update Okta group profile", {domain::group_target(c.group)});
  }
  void describe(const store::DeleteGroup& c) {
    if (auto* e = ctx_.org.group(c.id)) add("group.lifecycle.delete", "Delete Okta group", {domain::group_target(e->group)});
  }
  void membership(const std::string& group_id, const std::string& user_id, bool add_member) {
    auto* g = group(group_id);
    auto* u = user(user_id);
    if (!g || !u) return;
    if (auto* ge = ctx_.org.group(group_id); ge && ctx_.org.is_member(*ge, user_id) == add_member) return;
    add(add_member ? "group.user_membership.add" : "group.user_membership.remove",
        add_member ? "Add user to group membership" : "Remove user from group membership",
        {domain::user_target(*u), domain::group_target(*g)});
  }
  void describe(const store::AddMember& c) { membership(c.group_id, c.user_id, true); }
  void describe(const store::RemoveMember& c) { membership(c.group_id, c.user_id, false); }

  void privilege(const domain::RoleAssignment& r, bool grant) {
    std::vector<LogTarget> t;
    bool client = r.principal_type == domain::PrincipalType::CLIENT;
    if (client) {
      if (auto* app = doc(kind::app, r.principal_id)) t.push_back(app_target(*app));
      else t.push_back({r.principal_id, "AppInstance", "", "", {}});
    } else if (auto* u = user(r.principal_id)) {
      t.push_back(domain::user_target(*u));
    } else {
      t.push_back({r.principal_id, "User", "", "", {}});
    }
    std::string label(domain::role_label(r.type));
    json::object debug{{grant ? "privilegeGranted" : "privilegeRevoked", label}, {"roleType", r.type}};
    std::string type = client ? "app.oauth2.client.privilege." : "user.account.privilege.";
    add(type + (grant ? "grant" : "revoke"), std::string(grant ? "Grant " : "Revoke ") + (client ? "client" : "user") + " privilege",
        std::move(t), std::move(debug));
  }
  void describe(const store::PutRole& c) {
    if (!ctx_.org.role(c.role.id)) privilege(c.role, true);
  }
  void describe(const store::DeleteRole& c) {
    if (auto* r = ctx_.org.role(c.id)) privilege(*r, false);
  }

  void describe(const store::PutApiToken& c) {
    auto& tok = c.token;
    auto* old = ctx_.org.token(tok.id);
    std::vector<LogTarget> t{domain::token_target(tok)};
    if (auto* owner = user(tok.user_id)) t.push_back(domain::user_target(*owner));
    if (tok.revoked) {
      if (old) add("system.api_token.revoke", "Revoke API token", std::move(t));
    } else if (!old) {
      add("system.api_token.create", "Create API token", std::move(t));
    } else if (old->name() != tok.name) {
      add("system.api_token.update", "Update API token", std::move(t));
    }
  }
  void describe(const store::AppendEvent&) {}

  const Ctx& ctx_;
  const store::ChangeSet& changes_;
  std::map<std::pair<std::string, std::string>, const domain::Document*> pending_docs_;
  std::map<std::string, const domain::User*> pending_users_;
  std::map<std::string, const domain::Group*> pending_groups_;
  std::set<std::pair<std::string, std::string>> deleted_docs_;
  std::set<std::string> rollovers_;
  std::set<std::string> updated_servers_;
  store::ChangeSet out_;
};
}  // namespace

store::ChangeSet describe_changes(const Ctx& ctx, const store::ChangeSet& changes) {
  return Describer(ctx, changes).run();
}

}  // namespace gh::api::audit
