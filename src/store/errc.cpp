#include "store/errc.hpp"

namespace gh::store {
namespace {
class StoreCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.store"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok: return "ok";
      case Errc::conflict: return "unique constraint violated";
      case Errc::not_found: return "not found";
      case Errc::io_failed: return "storage i/o failed";
      case Errc::corrupt: return "stored data is corrupt";
      case Errc::unavailable: return "storage unavailable";
    }
    return "unknown";
  }
};
}  // namespace
const boost::system::error_category& store_category() noexcept {
  static const StoreCategory c;
  return c;
}
}  // namespace gh::store
