#include "jose/jws.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/base64.hpp"
#include "core/json_text.hpp"
#include "jose/errc.hpp"
#include "jose/signature.hpp"

namespace gh::jose {
namespace {

namespace json = boost::json;

// RFC 7515 §5.1 steps 1-6: BASE64URL(header) '.' BASE64URL(payload), signed, then
// '.' BASE64URL(signature) appended; one buffer, sized once.
Result<std::string> sign_serialized(Alg alg, const Jwk& key, std::string_view header, std::string_view payload) {
  std::string out;
  out.reserve((header.size() + payload.size()) * 4 / 3 + 360);  // RSA-2048: 342 more
  core::base64url_append(out, header);
  out += '.';
  core::base64url_append(out, payload);
  auto sig = detail::sign_bytes(alg, *key.pkey(), out);
  if (!sig) return sig.error();
  out += '.';
  core::base64url_append(out, *sig);
  return out;
}

// RFC 7515 §2: base64url without padding. core's decoder tolerates '=' padding, so refuse it
// here; it also refuses non-canonical trailing bits.
Result<std::string> decode_part(std::string_view part) {
  if (part.find('=') != std::string_view::npos) return Errc::bad_base64;
  auto raw = core::base64url_decode(part);
  if (!raw) return Errc::bad_base64;
  return std::move(*raw);
}

// RFC 8725 §3.1: compare the header's "alg" with the one the caller fixed, and name precisely
// why a different one is refused.
Result<void> check_header_alg(const json::object& header, Alg expected) {
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr) return Errc::missing_alg;  // RFC 7515 §4.1.1: "alg" is required
  if (!alg->is_string()) return Errc::bad_header_param;
  std::string_view name = alg->get_string();
  if (name == alg_name(expected)) return {};
  auto parsed = parse_alg(name);  // alg_none, alg_hmac or unsupported_alg
  if (!parsed) return parsed.error();
  return Errc::alg_mismatch;
}

}  // namespace

Result<Jws> decode(std::string_view compact) {
  if (compact.size() > kMaxCompactSize) return Errc::jws_too_large;
  // RFC 7515 §7.1 / §5.2 step 1: exactly three parts separated by two periods. Five parts is
  // a JWE (RFC 7516 §7.1), which is refused the same way.
  const std::size_t dot1 = compact.find('.');
  if (dot1 == std::string_view::npos) return Errc::malformed_jws;
  const std::size_t dot2 = compact.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || compact.find('.', dot2 + 1) != std::string_view::npos)
    return Errc::malformed_jws;
  const std::string_view header_b64 = compact.substr(0, dot1);
  if (header_b64.empty()) return Errc::malformed_jws;

  Jws jws;
  // RFC 7515 §5.2 steps 2-3: the header is a base64url-encoded UTF-8 JSON object.
  auto header_json = decode_part(header_b64);
  if (!header_json) return header_json.error();
  boost::system::error_code ec;
  json::value header = json::parse(*header_json, ec);  // rejects invalid UTF-8, depth > 32
  if (ec) return Errc::bad_json;
  if (!header.is_object()) return Errc::header_not_object;
  jws.header = std::move(header.get_object());
  // RFC 7515 §5.2 steps 6-7: payload and signature.
  auto payload = decode_part(compact.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return payload.error();
  auto signature = decode_part(compact.substr(dot2 + 1));
  if (!signature) return signature.error();
  jws.payload = std::move(*payload);
  jws.signature = std::move(*signature);
  jws.signing_input = std::string(compact.substr(0, dot2));
  return jws;
}

Result<std::optional<std::string_view>> find_kid(const Jws& jws) {
  const json::value* kid = jws.header.if_contains("kid");
  if (kid == nullptr) return std::optional<std::string_view>{};
  if (!kid->is_string()) return Errc::bad_header_param;  // RFC 7515 §4.1.4: a string
  return std::optional<std::string_view>{std::string_view(kid->get_string())};
}

Result<void> check_header_no_embedded_keys(const json::object& header) {
  // RFC 7515 §4.1.2 jku, §4.1.3 jwk, §4.1.5 x5u, §4.1.6 x5c; RFC 8725 §3.10.
  for (std::string_view name : {"jku", "jwk", "x5u", "x5c"})
    if (header.contains(name)) return Errc::embedded_key;
  return {};
}

Result<void> verify_signature(const Jws& jws, const Jwk& key, Alg expected) {
  // RFC 7515 §4.1.11: recipients must refuse a "crit" they do not understand; none is
  // understood here (this also refuses RFC 7797 "b64":false).
  if (jws.header.contains("crit")) return Errc::crit_unsupported;
  if (auto ok = check_header_alg(jws.header, expected); !ok) return ok.error();
  if (auto ok = key.check_alg(expected); !ok) return ok.error();
  // RFC 7515 §5.2 step 8: validate the signature over the signing input.
  return detail::verify_bytes(expected, *key.pkey(), jws.signing_input, jws.signature);
}

Result<Jws> verify(std::string_view compact, const Jwk& key, Alg expected) {
  auto jws = decode(compact);
  if (!jws) return jws.error();
  if (auto ok = verify_signature(*jws, key, expected); !ok) return ok.error();
  return jws;
}

Result<std::string> sign(Alg alg, const Jwk& key, json::object header, std::string_view payload) {
  if (!key.is_private()) return Errc::not_private_key;
  if (auto ok = key.check_alg(alg); !ok) return ok.error();
  // RFC 7515 §4.1.1: "alg" names the algorithm that secures the JWS; it must be the one used.
  if (const json::value* a = header.if_contains("alg");
      a != nullptr && !(a->is_string() && a->get_string() == alg_name(alg)))
    return Errc::alg_mismatch;
  if (!header.contains("alg")) {
    json::object with_alg;  // "alg" first, as is conventional
    with_alg["alg"] = alg_name(alg);
    for (auto& member : header) with_alg[member.key()] = std::move(member.value());
    header = std::move(with_alg);
  }
  return sign_serialized(alg, key, json::serialize(header), payload);
}

Result<std::string> sign_with_kid(Alg alg, const Jwk& key, std::string_view payload) {
  if (!key.is_private()) return Errc::not_private_key;
  if (auto ok = key.check_alg(alg); !ok) return ok.error();
  std::string header;  // {"alg":ALG,"kid":KID}, as sign() serialises that header
  header.reserve(24 + key.kid().size());
  header.append(R"({"alg":)");
  core::append_json_string(header, alg_name(alg));
  header.append(R"(,"kid":)");
  core::append_json_string(header, key.kid());
  header += '}';
  return sign_serialized(alg, key, header, payload);
}

}  // namespace gh::jose
