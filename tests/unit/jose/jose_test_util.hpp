#pragma once
// Shared helpers for the jose unit tests: RFC vector files and per-algorithm test keys.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/base64.hpp"
#include "jose/alg.hpp"
#include "jose/errc.hpp"
#include "jose/jwk.hpp"
#include "jose/keys.hpp"

namespace gh::jose::testing {

// tests/vectors, from a compile definition or relative to this header.
inline std::filesystem::path vectors_dir() {
#ifdef GH_TEST_VECTORS_DIR
  return GH_TEST_VECTORS_DIR;
#else
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "vectors";
#endif
}

inline boost::json::object load_vector(const std::string& name) {
  std::ifstream in(vectors_dir() / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing vector file " << (vectors_dir() / name);
  std::stringstream ss;
  ss << in.rdbuf();
  return boost::json::parse(ss.str()).as_object();
}

inline std::string str(const boost::json::object& o, std::string_view key) {
  return std::string(o.at(key).as_string());
}

inline std::string b64(std::string_view s) { return core::base64url_encode(s); }
inline std::string unb64(std::string_view s) { return core::base64url_decode(s).value(); }

// One private key per algorithm family, generated once per test binary (RSA keygen is slow).
inline const Jwk& private_key_for(Alg alg) {
  static std::map<std::pair<KeyType, Curve>, Jwk> cache;
  auto id = std::make_pair(key_type_for(alg), curve_for(alg));
  auto it = cache.find(id);
  if (it == cache.end()) {
    auto pkey = generate_for_alg(alg);
    EXPECT_TRUE(pkey.has_value());
    auto jwk = Jwk::from_pkey(std::move(*pkey), "test-" + std::string(alg_name(alg)));
    EXPECT_TRUE(jwk.has_value());
    it = cache.emplace(id, std::move(*jwk)).first;
  }
  return it->second;
}

// The public half of private_key_for(alg), as a client would register it.
inline Jwk public_key_for(Alg alg) {
  return Jwk::parse_public(private_key_for(alg).to_public_json()).value();
}

inline std::string flip_bit(std::string s, std::size_t bit) {
  s[bit / 8] = static_cast<char>(s[bit / 8] ^ (1 << (bit % 8)));
  return s;
}

// Replaces the signature of a compact JWS with `sig` (raw bytes).
inline std::string with_signature(std::string_view compact, std::string_view sig) {
  return std::string(compact.substr(0, compact.rfind('.') + 1)) + b64(sig);
}

}  // namespace gh::jose::testing

namespace gh::jose::testing {

// The error of a result, or a default (success) code, for table-driven EXPECT_EQ.
template <class T>
boost::system::error_code code_of(const Result<T>& r) {
  return r ? boost::system::error_code{} : r.error();
}
inline boost::system::error_code ok() { return {}; }
inline boost::system::error_code code(Errc e) { return make_error_code(e); }

}  // namespace gh::jose::testing
