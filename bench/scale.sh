#!/usr/bin/env bash
# Scale runs (issue 2: "with 100k users and 1M API tokens in one org no request gets more than
# 2x slower"; issue 5: "1M API tokens, 100k apps and 100k users in one org, and 1,000 orgs:
# start-up time, RSS, and the same scenarios' rates compared with an empty org"; targets: each
# rate within 2x of the empty org, start-up < 5 s). Four runs of bench/run.sh, each on a fresh
# data directory seeded by bench/lib/seed.py:
#   empty   nothing seeded
#   scale   SCALE_USERS users + SCALE_TOKENS API tokens in the first org
#   apps    the same + SCALE_APPS OIDC service apps (one client secret each)
#   orgs    SCALE_ORGS more orgs (each with an admin, Everyone, a token and OAuth documents)
# Results: $RESULTS_DIR/DATE-{empty,scale,apps,orgs}.{json,md} and DATE-scale-summary.md.
# Environment: SCALE_USERS=100000 SCALE_TOKENS=1000000 SCALE_APPS=100000 SCALE_ORGS=1000,
# SCALE_SCENARIOS (default: ssws_groups_list bearer_groups_list), SCALE_RUNS (default: all four),
# and everything bench/run.sh reads (DURATION, RUNS, RESULTS_DIR, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export RESULTS_DIR=${RESULTS_DIR:-$here/results}
export SCENARIOS=${SCALE_SCENARIOS:-ssws_groups_list bearer_groups_list}
users=${SCALE_USERS:-100000} tokens=${SCALE_TOKENS:-1000000} apps=${SCALE_APPS:-100000} orgs=${SCALE_ORGS:-1000}
for run in ${SCALE_RUNS:-empty scale apps orgs}; do
  case $run in
    empty) RESULTS_SUFFIX=empty bash "$here/run.sh" ;;
    scale) RESULTS_SUFFIX=scale SEED_USERS=$users SEED_TOKENS=$tokens bash "$here/run.sh" ;;
    apps) RESULTS_SUFFIX=apps SEED_USERS=$users SEED_TOKENS=$tokens SEED_APPS=$apps bash "$here/run.sh" ;;
    orgs) RESULTS_SUFFIX=orgs SEED_ORGS=$orgs bash "$here/run.sh" ;;
    *) echo "scale.sh: unknown run $run (empty, scale, apps, orgs)" >&2; exit 2 ;;
  esac
done
python3 - "$RESULTS_DIR" "$(date -u +%F)" "${SCALE_RUNS:-empty scale apps orgs}" <<'PY' | tee "$RESULTS_DIR/$(date -u +%F)-scale-summary.md"
import json, os, sys
d, date, runs = sys.argv[1], sys.argv[2], sys.argv[3].split()
def load(s):
    p = f"{d}/{date}-{s}.json"
    return json.load(open(p)) if os.path.exists(p) else None
def rates(r):
    return {sc["name"]: sc["gatehouse"]["rps"] for sc in (r or {}).get("scenarios", [])
            if sc.get("gatehouse", {}).get("rps")}
base = rates(load("empty"))
names = sorted({n for s in runs for n in rates(load(s))})
print("| run | seeded | start-up ms | idle RSS MB | peak RSS MB | " +
      " | ".join(f"{n} rps (vs empty)" for n in names) + " |")
print("|---|---|---:|---:|---:|" + "---:|" * len(names))
fails = []
for s in runs:
    r = load(s)
    if r is None:
        print(f"| {s} | (no result) |"); continue
    seeded = ", ".join(f"{k[5:]}={r[k]}" for k in ("seed_users", "seed_tokens", "seed_apps", "seed_orgs")
                       if r.get(k)) or "-"
    rss = r.get("gatehouse_rss_kb", {})
    mb = lambda v: f"{v / 1024:.0f}" if isinstance(v, (int, float)) else "?"
    cells = []
    for n in names:
        x, b = rates(r).get(n), base.get(n)
        if x and b:
            cells.append(f"{x:.0f} ({x / b:.2f}x)")
            if x / b < 0.5: fails.append(f"{s}: {n} at {x / b:.2f}x of the empty org")
        else:
            cells.append("?")
    su = r.get("startup_ms")
    if isinstance(su, (int, float)) and su >= 5000: fails.append(f"{s}: start-up {su} ms")
    print(f"| {s} | {seeded} | {su} | {mb(rss.get('idle'))} | {mb(rss.get('peak_hwm'))} | " + " | ".join(cells) + " |")
    if r.get("startup_log"): print(f"|  | `{r['startup_log']}` |")
print()
print("Targets (issue 5): each rate within 2x of the empty org; start-up < 5 s: " +
      ("met" if not fails else "NOT met: " + "; ".join(fails)))
PY
