#!/usr/bin/env bash
# Scale runs (issue 2: "with 100k users and 1M API tokens in one org no request gets more than
# 2x slower"; issue 5: 1,000 orgs): the same scenarios on an empty org and on seeded ones, then
# the ratio of rates. Results: bench/results/DATE-empty.*, DATE-scale.*, DATE-orgs.*.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
RESULTS_SUFFIX=empty bash "$here/run.sh"
RESULTS_SUFFIX=scale SEED_USERS=${SCALE_USERS:-100000} SEED_TOKENS=${SCALE_TOKENS:-1000000} bash "$here/run.sh"
RESULTS_SUFFIX=orgs SEED_ORGS=${SCALE_ORGS:-1000} bash "$here/run.sh"
python3 - "$here/results" "$(date -u +%F)" <<'PY'
import json, sys
d, date = sys.argv[1], sys.argv[2]
def load(s):
    return json.load(open(f"{d}/{date}-{s}.json"))
def rate(r):
    for sc in r.get("scenarios", []):
        return round(sc["gatehouse"]["rps"])
base = load("empty")
print("| run | gatehouse rps | vs empty org | start-up ms | idle RSS kB |")
print("|---|---:|---:|---:|---:|")
for s in ("empty", "scale", "orgs"):
    r = load(s)
    b, x = rate(base), rate(r)
    ratio = f"{x / b:.2f}x" if b and x else "?"
    print(f"| {s} | {x} | {ratio} | {r.get('startup_ms', '?')} | {r.get('gatehouse_rss_kb', {}).get('idle', '?')} |")
PY
