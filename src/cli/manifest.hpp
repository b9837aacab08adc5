#pragma once
// The integration manifest of `gatehouse integrations …`: the submission document of
// ORG/integrations/api/v1/submissions (docs/oauth-documents.md `submission`) as a JSON file kept
// in the integration's repository. `logo` may name a PNG/JPEG/SVG file beside the manifest,
// uploaded by `submit`.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace gh::cli {

// A new manifest with every field the catalog needs, to be filled in.
boost::json::object manifest_template(const std::string& key, const std::string& name);

// The checks a submission must pass (the server's are authoritative; these catch the same
// mistakes before any call): every problem as "field: message".
std::vector<std::string> check_manifest(const boost::json::object& m);

}  // namespace gh::cli
