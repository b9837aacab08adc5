#pragma once
// What the HTTP server calls: the application behind it. No Beast types here.
#include <cstddef>
#include <string_view>

#include "http/message.hpp"

namespace gh::http {

class Service {
 public:
  virtual ~Service() = default;
  // The body limit for a request to `path` (413 beyond).
  virtual std::size_t body_limit(std::string_view path) const = 0;
  // True when handle() may block (store writes): it then runs on the blocking pool, otherwise
  // inline on the I/O thread (DESIGN.md: hot paths read only the in-memory model).
  virtual bool is_blocking(const Request& req) const = 0;
  // True (when is_blocking is false) when handle() waits on the network: on state shared by many
  // nodes (a single-use ledger in PostgreSQL). It then runs on the outbound lane.
  virtual bool waits_on_network(const Request&) const { return false; }
  // Handles one request. Must not throw for anything a client sends; the server answers an
  // escaped exception with transport_error(500). Never waits on the network: when the answer
  // depends on outbound I/O it returns a response with needs_outbound set.
  virtual Response handle(Request& req) = 0;
  // Performs the outbound I/O (bounded in time) that made handle(req) answer needs_outbound, so
  // that the next handle(req) can decide. Runs on the server's outbound lane, a small pool that
  // exists to wait on the network; handle() then runs again on its usual lane. Must not throw.
  virtual void prepare_outbound(Request& req) = 0;
  // The response for a transport-level failure (400, 413, 431, 500, 503) in the app's format.
  virtual Response transport_error(int status, std::string_view request_id) const = 0;
};

}  // namespace gh::http
