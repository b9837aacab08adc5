#pragma once
// Public keys parsed once: a DPoP proof carries its key in every request (RFC 9449 §4.2) and a
// private_key_jwt client's registered key is read for every assertion, and importing a key into
// OpenSSL costs more than verifying a signature with it. Keyed by the JWK's exact JSON text, so a
// key is only reused for the very same object that was accepted before (refusals are not kept).
#include <boost/json/object.hpp>

#include "jose/jwk.hpp"

namespace gh::jose {

// Jwk::parse_public, memoised (at most kMaxKeys keys; the set is emptied when full). Thread-safe.
Result<Jwk> parse_public_memo(const boost::json::object& jwk);

}  // namespace gh::jose
