#include "http/server/tls.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace gh::http::tls {
namespace {
// TLS 1.2: Mozilla's "intermediate" suites less DHE, i.e. ECDHE with an AEAD only (RFC 9325
// §4.2); TLS 1.3: its three AEAD suites (RFC 8446 §9.1).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";
constexpr off_t kMaxPemBytes = 1 << 20;

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct PkeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct BnFree { void operator()(BIGNUM* b) const { BN_free(b); } };

std::string openssl_reason() {
  std::string out;
  while (auto e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no reason given" : out;
}

// A PEM file, read whole through one descriptor (the mode checked is the file's that is read).
// The key's may not be open to group or others: the master key's rule (DESIGN.md).
bool read_pem(const std::string& path, bool secret, std::string& out, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) error = path + " is not a regular file";
  else if (st.st_size > kMaxPemBytes) error = path + " is larger than 1 MiB; not a PEM file";
  else if (secret && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    error = path + " is open to group or others (mode " + mode + "); a TLS key must be 0600 or 0400: chmod 600 " + path;
  }
  if (error.empty()) {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
      auto n = ::read(fd, out.data() + got, out.size() - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    out.resize(got);
  }
  ::close(fd);
  return error.empty();
}

// "subject=… serial=… notAfter=…" of the leaf certificate.
std::string describe(X509* leaf) {
  std::string out = "subject=\"";
  char name[256];
  X509_NAME_oneline(X509_get_subject_name(leaf), name, sizeof name);
  out.append(name).append("\" serial=");
  std::unique_ptr<BIGNUM, BnFree> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), nullptr));
  if (char* hex = bn ? BN_bn2hex(bn.get()) : nullptr) {
    out.append(hex);
    OPENSSL_free(hex);
  }
  out.append(" not_after=\"");
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio && ASN1_TIME_print(bio.get(), X509_get0_notAfter(leaf)) == 1) {
    char* p = nullptr;
    auto n = BIO_get_mem_data(bio.get(), &p);
    out.append(p, static_cast<std::size_t>(n));
  }
  out.append("\"");
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) out.append(" EXPIRED");
  return out;
}

// No passphrase: an encrypted key is refused rather than prompted for on the terminal.
int no_passphrase(char*, int, int, void*) { return 0; }
}  // namespace

Loaded load(const std::string& cert_file, const std::string& key_file) {
  Loaded r;
  std::string cert_pem, key_pem;
  if (!read_pem(cert_file, false, cert_pem, r.error) || !read_pem(key_file, true, key_pem, r.error)) return r;
  ERR_clear_error();
  auto ctx = std::make_shared<Context>(Context::tls_server);
  SSL_CTX* c = ctx->native_handle();
  // RFC 8996: TLS 1.0 and 1.1 are refused; RFC 9325 §3.1: 1.2 and 1.3 only.
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(c, 0);  // the highest OpenSSL has: 1.3
  SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                             SSL_OP_NO_TICKET);
  // No resumption: no session cache (1.2) and no tickets (1.2 and 1.3, RFC 8446 §4.6.1).
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(c, 0);
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);  // an idle keep-alive connection holds no record buffers
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1 || SSL_CTX_set_ciphersuites(c, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(c, kGroups) != 1) {
    r.error = "cannot set the TLS cipher suites: " + openssl_reason();
    return r;
  }
  SSL_CTX_set_default_passwd_cb(c, no_passphrase);
  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::buffer(cert_pem), ec);
  X509* leaf = SSL_CTX_get0_certificate(c);
  if (ec || leaf == nullptr) {
    r.error = cert_file + " holds no usable PEM certificate chain: " + openssl_reason();
    return r;
  }
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)
                                              : nullptr);
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  if (!key) {
    r.error = key_file + " holds no usable PEM private key (a passphrase-protected key is not supported): " +
              openssl_reason();
    return r;
  }
  if (X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    r.error = "the key in " + key_file + " does not belong to the certificate in " + cert_file;
    return r;
  }
  if (SSL_CTX_use_PrivateKey(c, key.get()) != 1 || SSL_CTX_check_private_key(c) != 1) {
    r.error = "cannot use the key in " + key_file + ": " + openssl_reason();
    return r;
  }
  r.certificate = describe(leaf);
  r.context = std::move(ctx);
  return r;
}

Contexts::Contexts(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)) {
  auto first = load(cert_file_, key_file_);
  if (!first.context) throw std::runtime_error("TLS: " + first.error);
  first_certificate_ = std::move(first.certificate);
  current_.store(std::move(first.context), std::memory_order_release);
}

Loaded Contexts::reload() {
  auto next = load(cert_file_, key_file_);
  if (next.context) current_.store(next.context, std::memory_order_release);
  return next;
}

}  // namespace gh::http::tls
