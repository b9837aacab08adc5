#include "store/store.hpp"

#include <boost/json/parse.hpp>

namespace gh::store {

Result<OrgSnapshot> Store::load_org(const core::OrgId& org_id) {
  struct Collect final : ApiTokenSink {
    std::vector<domain::ApiToken> tokens;
    void reserve(std::size_t n) override { tokens.reserve(n); }
    void add(const domain::ApiToken& t) override { tokens.push_back(t); }
  } collect;
  auto snap = load_org(org_id, collect);
  if (!snap) return snap;
  snap->api_tokens = std::move(collect.tokens);
  for (auto& d : snap->stored_documents) {
    boost::system::error_code ec;
    auto v = boost::json::parse(d.body, ec);
    boost::json::object body;  // a body that is not a JSON object reads as {}
    if (!ec && v.is_object()) body = std::move(v.as_object());
    snap->documents.push_back({std::move(d.kind), d.id.str(), d.parent.str(), std::move(body)});
  }
  snap->stored_documents = {};
  return snap;
}

}  // namespace gh::store
