#pragma once
// Owning wrappers for OpenSSL handles (STYLE.md §4.8): every handle lives in one of these.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace gh::jose {

template <auto Fn>
struct Free {
  template <class T>
  void operator()(T* p) const noexcept {
    Fn(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Free<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<BN_free>>;
using SecureBnPtr = std::unique_ptr<BIGNUM, Free<BN_clear_free>>;  // private exponents, scalars
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Free<ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Free<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Free<OSSL_PARAM_free>>;

// A new reference to `k` (EVP_PKEY is reference-counted and immutable once built).
inline PkeyPtr share_pkey(EVP_PKEY* k) noexcept {
  if (k == nullptr || EVP_PKEY_up_ref(k) != 1) return PkeyPtr{};
  return PkeyPtr{k};
}

}  // namespace gh::jose
