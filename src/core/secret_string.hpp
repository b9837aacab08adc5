#pragma once
// A secret value: zeroed on destruction, no formatter, so it cannot be logged by accident.
#include <openssl/crypto.h>

#include <string>
#include <string_view>
#include <utility>

namespace gh::core {

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string v) : v_(std::move(v)) {}
  SecretString(const SecretString&) = default;
  SecretString(SecretString&&) noexcept = default;
  SecretString& operator=(const SecretString&) = default;
  SecretString& operator=(SecretString&&) noexcept = default;
  ~SecretString() {
    if (!v_.empty()) OPENSSL_cleanse(v_.data(), v_.size());
  }
  std::string_view reveal() const { return v_; }
  bool empty() const { return v_.empty(); }

 private:
  std::string v_;
};

}  // namespace gh::core
