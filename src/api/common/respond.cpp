#include "api/common/respond.hpp"

#include "store/errc.hpp"

namespace gh::api {

ApiError commit_failed(const boost::system::error_code& ec) {
  if (ec == store::Errc::conflict)
    return validation_failed("conflict", {"An object with this field already exists in the current organization"}, ec);
  return internal_error(ec);
}

}  // namespace gh::api
