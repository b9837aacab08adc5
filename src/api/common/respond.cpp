#include "api/common/respond.hpp"

#include <spdlog/spdlog.h>

#include "store/errc.hpp"

namespace gh::api {

http::Response commit_failed(const Ctx& ctx, const boost::system::error_code& ec) {
  if (ec == store::Errc::conflict)
    return fail(ctx, validation_failed("conflict", {"An object with this field already exists in the current organization"}));
  spdlog::error("commit failed request_id={} org={} error=\"{}\"", ctx.req.request_id,
                ctx.org.org().id, ec.message());
  return fail(ctx, internal_error());
}

}  // namespace gh::api
