#include "core/errc.hpp"

namespace gh::core {
namespace {
class CoreCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.core"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok: return "ok";
      case Errc::bad_base64: return "malformed base64";
      case Errc::bad_format: return "malformed value";
      case Errc::bad_checksum: return "checksum mismatch";
      case Errc::bad_time: return "malformed timestamp";
      case Errc::io_failed: return "i/o failed";
    }
    return "unknown";
  }
};
}  // namespace
const boost::system::error_category& core_category() noexcept {
  static const CoreCategory c;
  return c;
}
}  // namespace gh::core
