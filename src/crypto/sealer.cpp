#include "crypto/sealer.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include "core/base64.hpp"
#include "crypto/mac.hpp"

namespace gh::crypto {
namespace {
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
constexpr int kNonce = 12, kTag = 16;
}  // namespace

Sealer::Sealer(std::string_view master_key) {
  auto k = hmac_sha256(master_key, "gatehouse/key-encryption/v1");
  std::copy(k.begin(), k.end(), key_.begin());
}

std::string Sealer::seal(core::Random& r, std::string_view pt, std::string_view aad) const {
  std::string out(kNonce + pt.size() + kTag, '\0');
  auto* buf = reinterpret_cast<unsigned char*>(out.data());
  r.fill({buf, static_cast<std::size_t>(kNonce)});
  CtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), buf) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), buf + kNonce, &len, reinterpret_cast<const unsigned char*>(pt.data()),
                              static_cast<int>(pt.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), buf + kNonce + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, buf + kNonce + pt.size()) == 1;
  if (!ok) return {};
  auto sealed = core::base64url_encode(out);
  OPENSSL_cleanse(out.data(), out.size());
  return sealed;
}

std::optional<core::SecretString> Sealer::open(std::string_view sealed, std::string_view aad) const {
  auto raw = core::base64url_decode(sealed);
  if (!raw || raw->size() < static_cast<std::size_t>(kNonce + kTag)) return std::nullopt;
  auto* buf = reinterpret_cast<unsigned char*>(raw->data());
  auto ct_len = raw->size() - kNonce - kTag;
  std::string pt(ct_len, '\0');
  CtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0, fin = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), buf) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(pt.data()), &len, buf + kNonce,
                              static_cast<int>(ct_len)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, buf + kNonce + ct_len) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(pt.data()) + len, &fin) == 1;
  if (!ok) {
    OPENSSL_cleanse(pt.data(), pt.size());
    return std::nullopt;
  }
  return core::SecretString{std::move(pt)};
}

}  // namespace gh::crypto
