#include "keys/signing_keys.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "core/time_format.hpp"
#include "jose/keys.hpp"

namespace gh::keys {
namespace json = boost::json;

gh::Result<domain::Document> new_signing_key(jose::Alg alg, std::string as_id, std::string_view status,
                                         const crypto::Sealer& sealer, core::Random& random,
                                         domain::Millis now) {
  auto pkey = jose::generate_for_alg(alg);
  if (!pkey) return pkey.error();
  auto pem = jose::to_pkcs8_pem(**pkey);
  if (!pem) return pem.error();
  auto kid = core::random_base62(random, 32);
  auto jwk = jose::Jwk::from_pkey(std::move(*pkey), kid, alg, "sig");
  if (!jwk) return jwk.error();
  auto iso = core::format_iso8601(core::from_epoch_ms(now));
  domain::Document d;
  d.kind = std::string(domain::kind::signing_key);
  d.id = kid;
  d.parent = std::move(as_id);
  d.body = {{"kid", kid},
            {"alg", jose::alg_name(alg)},
            {"status", status},
            {"created", iso},
            {"lastUpdated", iso},
            {"jwk", jwk->to_public_json()},
            {"_gh", json::object{{"sealed", sealer.seal(random, pem->reveal(), kid)}}}};
  return d;
}

std::vector<const domain::Document*> signing_keys(const model::OrgModel& org, std::string_view as_id,
                                                  std::string_view status) {
  std::vector<const domain::Document*> out;
  for (auto* d : org.children(domain::kind::signing_key, as_id)) {
    auto* s = d->body.if_contains("status");
    if (status.empty() || (s && s->is_string() && s->get_string() == status)) out.push_back(d);
  }
  auto created = [](const domain::Document* d) {
    auto* c = d->body.if_contains("created");
    return c && c->is_string() ? std::string(c->get_string()) : std::string();
  };
  std::sort(out.begin(), out.end(), [&](auto* a, auto* b) { return created(a) > created(b); });
  return out;
}

std::shared_ptr<const jose::Jwk> KeyRing::load(const model::OrgModel& org, const domain::Document& doc) {
  std::string key = org.org().id + "/" + doc.id;
  {
    std::lock_guard lk(mu_);
    if (auto it = keys_.find(key); it != keys_.end()) return it->second;
  }
  auto* sealed = doc.body.if_contains("_gh");
  auto* s = sealed && sealed->is_object() ? sealed->get_object().if_contains("sealed") : nullptr;
  auto* alg_v = doc.body.if_contains("alg");
  if (!s || !s->is_string() || !alg_v || !alg_v->is_string()) return nullptr;
  auto pem = sealer_.open(s->get_string(), doc.id);
  if (!pem) return nullptr;
  auto pkey = jose::from_pkcs8_pem(pem->reveal());
  auto alg = jose::parse_alg(alg_v->get_string());
  if (!pkey || !alg) return nullptr;
  auto jwk = jose::Jwk::from_pkey(std::move(*pkey), doc.id, *alg, "sig");
  if (!jwk) return nullptr;
  auto ptr = std::make_shared<const jose::Jwk>(std::move(*jwk));
  std::lock_guard lk(mu_);
  return keys_.emplace(std::move(key), ptr).first->second;
}

std::shared_ptr<const jose::Jwk> KeyRing::active(const model::OrgModel& org, std::string_view as_id) {
  // Remembered per thread for the model's version (which changes with any key document and is
  // never repeated by any org model of the process): finding it walks and sorts the server's
  // key documents and looks the key up under the ring's lock, ~3.5k instructions a token
  // (issue 20). A key that cannot be loaded is not remembered: each call tries (and logs) again.
  struct Entry {
    const KeyRing* ring;
    std::uint64_t version;
    std::string as_id;
    std::shared_ptr<const jose::Jwk> key;
  };
  thread_local std::vector<Entry> remembered;
  const auto version = org.version();
  for (auto& e : remembered)
    if (e.ring == this && e.version == version && e.as_id == as_id) return e.key;
  auto keys = signing_keys(org, as_id, "ACTIVE");
  auto key = keys.empty() ? nullptr : load(org, *keys.front());
  if (!key) return key;
  if (remembered.size() >= 32) remembered.erase(remembered.begin());
  remembered.push_back({this, version, std::string(as_id), key});
  return key;
}

std::shared_ptr<const jose::Jwk> KeyRing::verifier(const model::OrgModel& org, std::string_view as_id,
                                                   std::string_view kid) {
  auto* d = org.doc(domain::kind::signing_key, kid);
  if (!d || d->parent != as_id) return nullptr;
  return load(org, *d);
}

std::string KeyRing::jwks_json(const model::OrgModel& org, std::string_view as_id) {
  std::string key = org.org().id + "/" + std::string(as_id);
  auto version = org.version();
  {
    std::lock_guard lk(mu_);
    if (auto it = jwks_.find(key); it != jwks_.end() && it->second.version == version) return it->second.json;
  }
  json::array keys;
  for (auto* d : signing_keys(org, as_id))
    if (auto* j = d->body.if_contains("jwk"); j && j->is_object()) keys.push_back(*j);
  auto out = json::serialize(json::object{{"keys", std::move(keys)}});
  std::lock_guard lk(mu_);
  jwks_[key] = {version, out};
  return out;
}

}  // namespace gh::keys
