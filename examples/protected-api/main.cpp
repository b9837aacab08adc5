// protected-api: a small HTTP API whose every route requires an access token of a custom
// authorization server with a given scope, checked by the SDK's Verifier used as middleware.
//   protected-api --issuer https://ORG/oauth2/default --audience api://default --scope orders.read
//                 [--listen 127.0.0.1:0] [--public-url http://HOST:PORT]
// Prints "listening on http://HOST:PORT", then serves until killed. GET /orders answers 200
// {"orders":[…],"client":"<cid>"}; a missing or bad token 401, a missing scope 403, each with
// WWW-Authenticate (RFC 6750 §3, RFC 9449 §7.1).
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <iostream>
#include <string>

#include "gatehouse/client/verifier.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Handler = std::function<Response(const Request&, const gh::sdk::Claims&)>;

namespace {
Response json_response(const Request& req, http::status status, const json::value& body) {
  Response res{status, req.version()};
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

// The middleware: verify the request's token (and DPoP proof) before the handler runs.
std::function<Response(const Request&)> require_token(gh::sdk::Verifier& verifier, std::string public_url,
                                                      Handler next) {
  return [&verifier, public_url, next](const Request& req) {
    gh::sdk::IncomingRequest in{std::string(req.method_string()), public_url + std::string(req.target()),
                                std::string(req[http::field::authorization]), std::string(req["DPoP"])};
    auto claims = verifier.verify(in);
    if (claims) return next(req, *claims);
    auto e = claims.error();
    auto status = e.status == 403 ? http::status::forbidden : http::status::unauthorized;
    auto res = json_response(req, status, {{"error", e.status == 403 ? "insufficient_scope" : "invalid_token"}});
    res.set(http::field::www_authenticate, verifier.www_authenticate(e));
    return res;
  };
}

Response orders(const Request& req, const gh::sdk::Claims& who) {
  if (req.target() != "/orders" || req.method() != http::verb::get)
    return json_response(req, http::status::not_found, {{"error", "not_found"}});
  json::array list{json::object{{"id", 1}, {"item", "widget"}}, json::object{{"id", 2}, {"item", "gadget"}}};
  return json_response(req, http::status::ok, {{"orders", list}, {"client", who.client_id}});
}
}  // namespace

int main(int argc, char** argv) {
  gh::sdk::VerifierOptions opts;
  std::string listen = "127.0.0.1:0", public_url;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--issuer") opts.issuer = argv[i + 1];
    else if (a == "--audience") opts.audience = argv[i + 1];
    else if (a == "--scope") opts.required_scopes.push_back(argv[i + 1]);
    else if (a == "--listen") listen = argv[i + 1];
    else if (a == "--public-url") public_url = argv[i + 1];
  }
  auto verifier = gh::sdk::Verifier::create(opts);
  if (!verifier) {
    std::cerr << "protected-api: " << verifier.error().message() << "\n";
    return 2;
  }
  boost::asio::io_context ioc;
  auto colon = listen.rfind(':');
  tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address(listen.substr(0, colon)),
                               static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)))});
  auto bound = acceptor.local_endpoint();
  if (public_url.empty()) public_url = "http://" + bound.address().to_string() + ":" + std::to_string(bound.port());
  std::cout << "listening on " << public_url << std::endl;
  auto app = require_token(**verifier, public_url, orders);
  for (;;) {  // one connection at a time: enough for an example
    tcp::socket socket(ioc);
    acceptor.accept(socket);
    beast::flat_buffer buf;
    beast::error_code ec;
    for (;;) {
      Request req;
      http::read(socket, buf, req, ec);
      if (ec) break;
      auto res = app(req);
      res.keep_alive(req.keep_alive());
      http::write(socket, res, ec);
      if (ec || !req.keep_alive()) break;
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}
