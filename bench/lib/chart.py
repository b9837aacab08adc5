#!/usr/bin/env python3
"""A PNG chart of the benchmark's headline ratios (issue 5), drawn with gnuplot.

Usage: chart.py [--dir DIR] [--date DATE] [--out PNG] [RESULTS.json ...]

Without files it reads DIR/DATE.json (bench/run.sh: each scenario's ratio to nginx) and
DIR/DATE-oauth.json (bench/oauth.sh: ratios to `openssl speed` and to node-oidc-provider),
whichever exist, and writes DIR/DATE.png. DIR defaults to bench/results, DATE to the newest date
with one of the two files. Files given on the command line are read instead (their kind is told
by their content) and --out is then required.

One horizontal bar per ratio, on a logarithmic axis (the ratios range from about 0.3 to 20):
green when it meets its target, red when it does not, grey when the run was invalid (errors)
or has no target; the target is the black tick across the bar, and the label gives the ratio and
the target.
"""
import argparse
import glob
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO_LABELS = {
    "ssws_groups_list": "groups list, SSWS",
    "bearer_groups_list": "groups list, Bearer",
    "jwks": "JWKS",
    "introspect": "introspection",
    "rs256": "token, RS256",
    "es256": "token, ES256",
    "eddsa": "token, EdDSA",
    "pkjwt": "token, private-key JWT",
    "dpop": "token, DPoP",
    "dpop_groups_list": "groups list, DPoP",
    "user_create": "user create",
}


def label(name):
    return SCENARIO_LABELS.get(name, name)


def bars_from_run(d):
    """bench/run.sh: one bar per scenario, Gatehouse rps / nginx rps."""
    min_ratio = {s["name"]: s.get("min_ratio") for s in d.get("scenario_list", [])}
    bars = []
    for s in d.get("scenarios", []):
        if s.get("ratio") is None:
            continue
        bars.append({"name": f"{label(s['name'])} vs nginx", "ratio": s["ratio"],
                     "target": min_ratio.get(s["name"]), "percent": True,
                     "valid": s.get("valid", True)})
    return bars


def bars_from_oauth(d):
    """bench/oauth.sh: ratios to openssl speed and to node-oidc-provider."""
    bars = []
    ratios = d.get("ratios")
    if ratios is None:  # files written before the peer was added
        ratios = [{"scenario": sc, "against": "openssl speed", "ratio": e["ratio"],
                   "target": e.get("target"), "result": e.get("result", "")}
                  for sc, e in d.get("scenarios", {}).items() if e.get("ratio") is not None]
    for r in ratios:
        against = r["against"]
        bars.append({"name": f"{label(r['scenario'])} vs {against}", "ratio": r["ratio"],
                     "target": r.get("target"), "percent": against.startswith("openssl"),
                     "valid": not str(r.get("result", "")).startswith("INVALID")})
    return bars


def kind_of(d):
    if "scenario_list" in d or isinstance(d.get("scenarios"), list):
        return "run"
    if "ratios" in d or isinstance(d.get("scenarios"), dict):
        return "oauth"
    return None


def fmt(v, percent, exact=False):
    if percent:
        return f"{v * 100:g}%" if exact else f"{v * 100:.0f}%"
    return f"{v:g}x" if exact else f"{v:.2f}x"


def label_of(b):
    text = fmt(b["ratio"], b["percent"])
    if b["target"]:
        text += f"  (target ≥ {fmt(b['target'], b['percent'], exact=True)})"
    if not b["valid"]:
        text += "  INVALID (errors)"
    elif b["target"] and b["ratio"] < b["target"]:
        text += "  below target"
    return text


def gp_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draw(bars, title, out):
    if not bars:
        sys.exit("chart: no ratios in the results")
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        sys.exit("chart: gnuplot is missing (apt-get install gnuplot-nox; scripts/install-bench-deps.sh)")
    values = [b["ratio"] for b in bars] + [b["target"] for b in bars if b["target"]]
    lo = 2 ** math.floor(math.log2(min(min(values), 1) * 0.8))
    n = len(bars)
    width, lmargin = 1100, max(len(b["name"]) for b in bars) + 3
    plot_px = width - lmargin * 7.5 - 40          # about 7.5 px per character at 11 pt
    labels = [label_of(b) for b in bars]
    # Room for each label right of its bar and target: the label's share of the plot's width
    # (6.5 px per character at 10 pt) must fit after the bar's share on the log axis.
    octaves = max(math.log2(max(b["ratio"], b["target"] or 0) * 1.07 / lo) / max(0.2, 1 - len(t) * 6.5 / plot_px)
                  for b, t in zip(bars, labels))
    hi = lo * 2 ** math.ceil(octaves)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "ratios.dat")
        with open(data, "w") as f:
            # y ratio target colour label-x label (top bar first: y counts down)
            for i, b in enumerate(bars):
                y = n - i
                target = b["target"] if b["target"] else "NaN"
                colour = ("0x999999" if not b["valid"] or not b["target"] else
                          "0x2e8b57" if b["ratio"] >= b["target"] else "0xc0392b")
                text = labels[i]
                # the label starts right of the bar and of the target tick
                at = max(b["ratio"], b["target"] or 0) * 1.07
                f.write(f"{y} {b['ratio']} {target} {colour} {at} {gp_quote(text)}\n")
        ytics = ", ".join(f"{gp_quote(b['name'])} {n - i}" for i, b in enumerate(bars))
        xtics = []
        t = lo
        while t <= hi:
            tic = f"{t * 100:g}%%" if t < 1 else f"{t:g}x"  # tic labels are formats: %% is a %
            xtics.append(f"{gp_quote(tic)} {t}")
            t *= 2
        script = f"""
set terminal pngcairo size {width},{140 + 46 * n} font "DejaVu Sans,11"
set output {gp_quote(out)}
set title {gp_quote(title)}
set logscale x 2
set xrange [{lo}:{hi}]
set yrange [0.3:{n + 0.7}]
set xtics ({", ".join(xtics)})
set ytics ({ytics}) nomirror
set grid xtics lc rgb "#dddddd"
set xlabel "Gatehouse / peer, same run (log scale); the black tick is the target"
set arrow from 1, graph 0 to 1, graph 1 nohead dt 2 lc rgb "#888888"
set key off
set style fill solid 0.85 noborder
set lmargin {lmargin}
plot {gp_quote(data)} using ({lo}):1:({lo}):2:($1-0.32):($1+0.32):4 with boxxyerror lc rgb variable, \\
     '' using 3:($1-0.42):(0):(0.84) with vectors nohead lw 3 lc rgb "black", \\
     '' using 5:1:6 with labels left font ",10"
"""
        r = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
        if r.returncode != 0 or not os.path.exists(out):
            sys.exit(f"chart: gnuplot failed: {r.stderr.strip()}")
        if r.stderr.strip():
            sys.stderr.write(r.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=os.path.join(BENCH_DIR, "results"))
    ap.add_argument("--date")
    ap.add_argument("--out")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if a.files:
        if not a.out:
            sys.exit("chart: --out is required with files")
        files, out, date = a.files, a.out, a.date or ""
    else:
        date = a.date
        if not date:
            dates = sorted({m.group(1) for p in glob.glob(os.path.join(a.dir, "*.json"))
                            for m in [re.match(r"(\d{4}-\d{2}-\d{2})(-oauth)?\.json$", os.path.basename(p))] if m})
            if not dates:
                sys.exit(f"chart: no DATE.json or DATE-oauth.json in {a.dir}")
            date = dates[-1]
        files = [p for p in (os.path.join(a.dir, f"{date}.json"), os.path.join(a.dir, f"{date}-oauth.json"))
                 if os.path.exists(p)]
        if not files:
            sys.exit(f"chart: neither {date}.json nor {date}-oauth.json in {a.dir}")
        out = a.out or os.path.join(a.dir, f"{date}.png")
    bars, commits = [], []
    for path in files:
        d = json.load(open(path))
        kind = kind_of(d)
        if kind == "run":
            bars += bars_from_run(d)
            commits.append(d.get("gatehouse_commit"))
        elif kind == "oauth":
            bars += bars_from_oauth(d)
            commits.append(d.get("commit"))
        else:
            sys.exit(f"chart: {path} is neither bench/run.sh nor bench/oauth.sh output")
    commits = sorted({c for c in commits if c and c != "none"})
    title = "Gatehouse side by side with its peers, one core each"
    if date:
        title += f" — {date}"
    if commits:
        title += f" (commit {', '.join(commits)})"
    draw(bars, title, out)
    print(out)


if __name__ == "__main__":
    main()
