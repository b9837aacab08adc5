#include "jose/key_memo.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>
#include <string>
#include <unordered_map>

namespace gh::jose {
namespace {

constexpr std::size_t kMaxKeys = 4096;

struct Memo {
  std::mutex mu;
  std::unordered_map<std::string, Jwk> keys;
};

Memo& memo() {
  static Memo m;
  return m;
}

}  // namespace

Result<Jwk> parse_public_memo(const boost::json::object& jwk) {
  auto text = boost::json::serialize(jwk);
  auto& m = memo();
  {
    std::lock_guard lk(m.mu);
    if (auto it = m.keys.find(text); it != m.keys.end()) return it->second;  // shares the key
  }
  auto key = Jwk::parse_public(jwk);
  if (!key) return key;
  std::lock_guard lk(m.mu);
  if (m.keys.size() >= kMaxKeys) m.keys.clear();
  m.keys.emplace(std::move(text), *key);
  return key;
}

}  // namespace gh::jose
