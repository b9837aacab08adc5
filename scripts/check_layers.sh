#!/usr/bin/env bash
# The layer graph of src/ (docs/architecture.md, "Folders and layers"), checked: every
# `#include "…"` of a file under src/ must name a header of its own folder or of a folder that
# folder may use. Run by `make test` (ctest: LayerGraph). Exits 1 and lists each violation.
#   scripts/check_layers.sh [SRC_DIR]       check a tree (default: src/ beside this script)
#   scripts/check_layers.sh --self-test     show that a tree with a forbidden include fails
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "--self-test" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/src/http" "$tmp/src/oauth" "$tmp/src/core"
  echo '#include "core/result.hpp"' > "$tmp/src/http/ok.hpp"
  if ! "$0" "$tmp/src" >/dev/null; then echo "self-test: an allowed include was refused"; exit 1; fi
  echo '#include "oauth/errors.hpp"' > "$tmp/src/http/bad.hpp"   # http knows no OAuth
  if "$0" "$tmp/src" >/dev/null; then echo "self-test: http -> oauth was not caught"; exit 1; fi
  rm "$tmp/src/http/bad.hpp"; mkdir -p "$tmp/src/http/server" "$tmp/src/api"
  echo '#include "http/server/server.hpp"' > "$tmp/src/oauth/bad.hpp"  # oauth: message types only
  if "$0" "$tmp/src" >/dev/null; then echo "self-test: oauth -> http/server was not caught"; exit 1; fi
  rm "$tmp/src/oauth/bad.hpp"
  echo '#include "oauth/grants/grant_handler.hpp"' > "$tmp/src/api/bad.hpp"  # api: oauth/verify, oauth/dpop only
  if "$0" "$tmp/src" >/dev/null; then echo "self-test: api -> oauth/grants was not caught"; exit 1; fi
  rm "$tmp/src/api/bad.hpp"; mkdir -p "$tmp/sdk/src"
  echo '#include "server/app.hpp"' > "$tmp/sdk/src/bad.cpp"  # the SDK knows no server code
  if "$0" "$tmp/src" >/dev/null; then echo "self-test: sdk -> server was not caught"; exit 1; fi
  echo "self-test: ok"
  exit 0
fi

src=${1:-$here/../src}
python3 - "$src" <<'PY'
import os, re, sys

# folder -> what its files may include besides their own folder. A folder not listed here is
# refused until it is placed in the graph. "X/" entries are folders, others single headers.
GRAPH = {
    "core":         [],
    "config":       ["core"],
    "crypto":       ["core"],
    "jose":         ["core", "crypto"],
    "domain":       ["core"],
    "store":        ["core", "domain"],
    "store/sqlite": ["store", "core", "domain"],
    "store/postgres": ["store", "core", "domain"],
    # The read model is built from store::OrgSnapshot and applies store::ChangeSet (store's
    # interface types; it never sees SQL).
    "model":        ["core", "crypto", "domain", "store"],
    "http":         ["core"],
    "http/server":  ["http", "core"],
    "keys":         ["core", "crypto", "jose", "domain", "model"],
    "oauth":        ["core", "crypto", "jose", "domain", "model", "store", "keys", "http"],
    # The management API is a resource server of the org authorization server: it verifies that
    # server's tokens and DPoP proofs, with the instances server/ hands to both.
    "api":          ["core", "crypto", "jose", "domain", "model", "store", "keys", "http",
                     "oauth/verify", "oauth/dpop"],
    "net":          ["core", "http"],
    # The admin console's files, served from memory (issue 17); its sessions are api/session.
    "console":      ["core", "http"],
    "server":       ["*"],
    "cli":          ["server", "config", "core", "sdk"],
    # The C++ SDK (sdk/, outside src/; its headers are included as "gatehouse/client/…"): a
    # client of the server's wire protocol, never of its code.
    "sdk":          ["core", "jose"],
}
# Include prefixes that name a graph folder living outside src/.
ALIASES = {"gatehouse/client": "sdk"}

def node_of(path):
    """The graph folder that owns `path` (relative to src/): the longest matching prefix."""
    for prefix, node in ALIASES.items():
        if path.startswith(prefix + "/"):
            return node
    best = None
    for n in GRAPH:
        if path == n or path.startswith(n + "/"):
            if best is None or len(n) > len(best):
                best = n
    return best

root = sys.argv[1]
inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
bad = []
# src/, then the SDK beside it (every file of sdk/ belongs to the node "sdk").
trees = [(root, None)]
sdk_root = os.path.join(root, "..", "sdk")
if os.path.isdir(sdk_root):
    trees.append((sdk_root, "sdk"))
for tree, owner_node in trees:
  for dirpath, _, files in os.walk(tree):
    for f in files:
        if not f.endswith((".hpp", ".cpp", ".h")):
            continue
        full = os.path.join(dirpath, f)
        rel = os.path.relpath(full, tree)
        if owner_node:
            rel = os.path.join(owner_node, rel)
        me = owner_node or node_of(rel)
        if me is None:
            bad.append(f"{rel}: its folder is not in the layer graph (scripts/check_layers.sh)")
            continue
        allowed = GRAPH[me]
        with open(full, encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                m = inc.match(line)
                if not m:
                    continue
                target = m.group(1)
                if "/" not in target:
                    continue  # a header beside the file
                if "*" in allowed:
                    continue
                if node_of(target) == me:
                    continue
                owner = node_of(target)
                if owner in allowed:
                    continue
                # A part of a folder ("oauth/verify"): only headers under it.
                if any(a not in GRAPH and target.startswith(a + "/") and owner == node_of(a)
                       for a in allowed):
                    continue
                bad.append(f"{rel}:{lineno}: {me} may not include \"{target}\"")
for b in bad:
    print(b)
if bad:
    print(f"check_layers: {len(bad)} include(s) break the layer graph")
    sys.exit(1)
print("check_layers: ok")
PY
