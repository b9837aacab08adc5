// http::tls (issue 19): what load() accepts and refuses, and Contexts::reload swapping the
// context only for a good pair. Key pairs and self-signed certificates are made here with OpenSSL.
#include "http/server/tls.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "testing/temp_dir.hpp"

namespace gh::http::tls {
namespace {

struct Pair {
  std::string cert, key;
};

// A P-256 key and a self-signed certificate for it with `serial`, written as PEM files.
Pair make_pair(const std::string& dir, const std::string& name, long serial, mode_t key_mode = 0600) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
  X509_set_pubkey(x.get(), key.get());
  auto* subject = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(x.get(), subject);
  X509_sign(x.get(), key.get(), EVP_sha256());
  Pair p{dir + "/" + name + ".pem", dir + "/" + name + ".key"};
  FILE* f = std::fopen(p.cert.c_str(), "w");
  PEM_write_X509(f, x.get());
  std::fclose(f);
  f = std::fopen(p.key.c_str(), "w");
  PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  ::chmod(p.key.c_str(), key_mode);
  return p;
}

TEST(Tls, LoadsAGoodPairWithTls12MinimumAndNoTickets) {
  gh::testing::TempDir dir;
  auto p = make_pair(dir.path(), "one", 0x1A2B);
  auto r = load(p.cert, p.key);
  ASSERT_TRUE(r.context) << r.error;
  EXPECT_NE(r.certificate.find("serial=1A2B"), std::string::npos) << r.certificate;
  EXPECT_NE(r.certificate.find("CN=one"), std::string::npos) << r.certificate;
  SSL_CTX* c = r.context->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(c), TLS1_2_VERSION);
  EXPECT_NE(SSL_CTX_get_options(c) & SSL_OP_NO_TICKET, 0u);
  EXPECT_NE(SSL_CTX_get_options(c) & SSL_OP_NO_RENEGOTIATION, 0u);
  EXPECT_NE(SSL_CTX_get_options(c) & SSL_OP_NO_COMPRESSION, 0u);
  EXPECT_EQ(SSL_CTX_get_num_tickets(c), 0u);
}

TEST(Tls, RefusesMissingOpenOrForeignKeys) {
  gh::testing::TempDir dir;
  auto one = make_pair(dir.path(), "one", 1);
  auto two = make_pair(dir.path(), "two", 2);
  auto open = make_pair(dir.path(), "open", 3, 0640);

  auto missing = load(one.cert, dir.path() + "/nope.key");
  EXPECT_FALSE(missing.context);
  EXPECT_NE(missing.error.find("cannot read"), std::string::npos) << missing.error;

  auto readable = load(open.cert, open.key);
  EXPECT_FALSE(readable.context);
  EXPECT_NE(readable.error.find("open to group or others (mode 0640)"), std::string::npos) << readable.error;

  auto foreign = load(one.cert, two.key);
  EXPECT_FALSE(foreign.context);
  EXPECT_NE(foreign.error.find("does not belong to the certificate"), std::string::npos) << foreign.error;

  auto swapped = load(one.key, one.key);  // a key where the certificate belongs
  EXPECT_FALSE(swapped.context);
  EXPECT_NE(swapped.error.find("no usable PEM certificate"), std::string::npos) << swapped.error;
}

TEST(Tls, ReloadSwapsOnlyForAGoodPair) {
  gh::testing::TempDir dir;
  auto one = make_pair(dir.path(), "one", 1);
  auto two = make_pair(dir.path(), "two", 2);
  auto live = make_pair(dir.path(), "live", 1);
  std::filesystem::copy_file(one.cert, live.cert, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(one.key, live.key, std::filesystem::copy_options::overwrite_existing);
  Contexts contexts(live.cert, live.key);
  auto first = contexts.current();
  ASSERT_TRUE(first);
  EXPECT_NE(contexts.first_certificate().find("serial=01"), std::string::npos) << contexts.first_certificate();

  std::filesystem::copy_file(two.cert, live.cert, std::filesystem::copy_options::overwrite_existing);
  auto refused = contexts.reload();  // the new certificate with the old key
  EXPECT_FALSE(refused.context);
  EXPECT_EQ(contexts.current(), first);

  std::filesystem::copy_file(two.key, live.key, std::filesystem::copy_options::overwrite_existing);
  auto reloaded = contexts.reload();
  ASSERT_TRUE(reloaded.context) << reloaded.error;
  EXPECT_EQ(contexts.current(), reloaded.context);
  EXPECT_NE(reloaded.certificate.find("serial=02"), std::string::npos) << reloaded.certificate;
  EXPECT_EQ(first.use_count(), 1);  // the old context lives on only where it is held (a connection)
}

}  // namespace
}  // namespace gh::http::tls
