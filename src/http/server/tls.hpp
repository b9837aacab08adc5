#pragma once
// TLS for http::Server (issue 19): the server's context, built from a PEM certificate chain and
// a PEM private key, and its reload on SIGHUP. For src/http/server/ only: Asio's SSL context
// header (and through it OpenSSL's) stays where the I/O happens.
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace gh::http::tls {

using Context = boost::asio::ssl::context;

struct Loaded {
  std::shared_ptr<Context> context;  // null when the pair was refused
  std::string error;                 // why, for the operator (file names and OpenSSL's reason; never key bytes)
  std::string certificate;           // the leaf's subject, serial and notAfter, for the log
};

// A server context: TLS 1.2 and 1.3 only; for 1.2, ECDHE key exchange with AES-GCM or
// ChaCha20-Poly1305 only (RFC 9325 §4.2), the server's order of preference; no compression
// (RFC 9325 §3.3), no renegotiation, no session tickets or session cache (every connection makes
// a full handshake, so no ticket key needs rotating). The key file must be a regular file that
// neither group nor others may read (as the master key: DESIGN.md "Credentials and secrets"),
// and must belong to the certificate.
Loaded load(const std::string& cert_file, const std::string& key_file);

// The context new connections take. reload() builds a new one from the same files and swaps it
// in atomically: connections already established keep the context (and certificate) they began
// with; a pair that load() refuses leaves the current one in place.
class Contexts {
 public:
  Contexts(std::string cert_file, std::string key_file);  // throws std::runtime_error if refused
  std::shared_ptr<Context> current() const { return current_.load(std::memory_order_acquire); }
  const std::string& first_certificate() const { return first_certificate_; }  // for the start-up log
  Loaded reload();

 private:
  std::string cert_file_, key_file_, first_certificate_;
  std::atomic<std::shared_ptr<Context>> current_;
};

}  // namespace gh::http::tls
