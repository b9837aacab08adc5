#!/usr/bin/env python3
"""Helpers for bench/run.sh: free ports, wrk output parsing, nginx config, the report.

Subcommands (all print to stdout):
  free-port [N]                       N free TCP ports on 127.0.0.1, one per line
  json-get FILE EXPR                  a value from a JSON file: EXPR like apiTokens.0
  parse-headers FILE                  curl -D header dump -> JSON {"status", "headers": [[name, value], ...]}
  nginx-conf --template T --prefix P --out F --server "PORT|FILE|PATH|HEADERS_FILE|ADJUST" ...
  wrk-parse FILE                      wrk stdout -> one JSON object
  record FILE key=json ...            append one JSON record (values parsed as JSON, else string)
  meta FILE key=json ...              set keys in a JSON object file (created if missing);
                                      key+=json appends to the list at key
  median RUNS_FILE SCENARIO SERVER KIND     median requests/s of those runs
  first-token INIT_JSON                   the first API token printed by gatehouse init --json
  jwt-claims TOKEN_RESPONSE_JSON          {"header", "payload"} of its access_token (not verified)
  last-run RUNS_FILE                   "rps other_cpu_share" of the last run
  discard-if-noisy RUNS_FILE SHARE     mark the last run noisy if other work took > SHARE of the CPUs
  summary --work DIR --out FILE       print the markdown table, write the results JSON
"""
import base64
import json
import os
import re
import socket
import statistics
import sys

# Headers that nginx produces itself (or that describe the transfer), never copied with add_header.
NGINX_OWN = {"date", "content-type", "content-length", "connection", "keep-alive", "server",
             "transfer-encoding", "last-modified", "etag", "accept-ranges"}
PAD_HEADER = "x-okta-request-id"


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def parse_headers(path):
    """Last response in a curl -D dump (after any 100-continue)."""
    text = open(path, "rb").read().decode("latin-1")
    blocks = [b for b in re.split(r"\r?\n\r?\n", text) if b.strip()]
    lines = blocks[-1].splitlines()
    status = int(lines[0].split()[1])
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append([name.strip(), value.strip()])
    return {"status": status, "status_line": lines[0], "headers": headers}


def nginx_quote(value):
    if "$" in value:
        # nginx interpolates $var inside strings and has no escape for '$'.
        value = value.replace("$", "_")
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def nginx_server_block(port, root_file, path, headers_file, adjust):
    parsed = parse_headers(headers_file)
    lines = [f"    server {{",
             f"        listen 127.0.0.1:{port};",
             f"        server_name bench;",
             f"        location = {path} {{",
             f"            alias {root_file};",
             # An empty Last-Modified makes nginx drop the header it would add for a file.
             f"            add_header Last-Modified '';",
             # POST scenarios (introspection): nginx refuses POST to a static file with 405;
             # this serves the same file instead (one internal redirect).
             f"            error_page 405 =200 $uri;"]
    copied = 0
    for name, value in parsed["headers"]:
        if name.lower() in NGINX_OWN:
            continue
        if name.lower() == PAD_HEADER and adjust:
            if adjust > 0:
                value = value + "x" * adjust
            else:
                value = value[: max(1, len(value) + adjust)]
        lines.append(f"            add_header {name} {nginx_quote(value)} always;")
        copied += 1
    lines += ["        }", "    }"]
    return "\n".join(lines), copied


def cmd_nginx_conf(args):
    template = prefix = out = None
    servers = []
    it = iter(args)
    for a in it:
        if a == "--template":
            template = next(it)
        elif a == "--prefix":
            prefix = next(it)
        elif a == "--out":
            out = next(it)
        elif a == "--server":
            port, root, path, hfile, adjust = next(it).split("|")
            servers.append((int(port), root, path, hfile, int(adjust or 0)))
    blocks = []
    for s in servers:
        block, _ = nginx_server_block(*s)
        blocks.append(block)
    user = ""
    if os.geteuid() == 0:
        user = "user nobody nogroup;"
    text = open(template).read()
    text = (text.replace("@USER@", user).replace("@PREFIX@", prefix)
            .replace("@SERVERS@", "\n".join(blocks)))
    with open(out, "w") as f:
        f.write(text)


UNIT_US = {"us": 1.0, "ms": 1000.0, "s": 1e6, "m": 60e6, "h": 3600e6}


def to_us(text):
    m = re.match(r"([\d.]+)(us|ms|s|m|h)$", text.strip())
    if not m:
        return None
    return float(m.group(1)) * UNIT_US[m.group(2)]


def wrk_parse(path):
    text = open(path, errors="replace").read()
    out = {}
    m = re.search(r"^BENCH_JSON (\{.*\})\s*$", text, re.M)
    if m:
        out = json.loads(m.group(1))
    # wrk's own text: the fallback, and a cross-check of the Lua figures.
    t = {}
    m = re.search(r"Requests/sec:\s*([\d.]+)", text)
    if m:
        t["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", text)
    if m:
        t["requests"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    t["non_2xx_3xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    t["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    # wrk: "     50%  452.00us"; wrk2: " 50.000%  452.00us"
    for pct, key in (("50", "p50"), ("75", "p75"), ("90", "p90"), ("99", "p99")):
        m = re.search(r"^\s*" + pct + r"(?:\.0+)?%\s+([\d.]+\w+)\s*$", text, re.M)
        if m:
            t[key + "_us"] = to_us(m.group(1))
    out["text"] = t
    if "requests" in out and out.get("duration_us"):
        out["rps"] = out["requests"] / (out["duration_us"] / 1e6)
        out["bytes_per_request"] = out["bytes"] / out["requests"] if out["requests"] else None
    else:  # no Lua summary: use wrk's text
        out["rps"] = t.get("rps")
        out["requests"] = t.get("requests")
        out["latency_us"] = {k[:-3]: v for k, v in t.items() if k.endswith("_us")}
    out["non_2xx_3xx"] = t["non_2xx_3xx"]
    out["socket_errors"] = t["socket_errors"]
    return out


def parse_kv(pairs):
    rec = {}
    for p in pairs:
        k, v = p.split("=", 1)
        try:
            rec[k] = json.loads(v)
        except ValueError:
            rec[k] = v
    return rec


def load_runs(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip()]


def select(runs, scenario, server, kind):
    return [r for r in runs if r.get("scenario") == scenario and r.get("server") == server
            and r.get("kind") == kind]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def aggregate(runs):
    """Median of each figure over the measured runs of one server in one scenario."""
    if not runs:
        return None
    lat = lambda r, k: (r["wrk"].get("latency_us") or {}).get(k)
    cpu = [r["cpu_us_per_request"] for r in runs if r.get("cpu_us_per_request") is not None]
    return {
        "runs": len(runs),
        "rps": med([r["wrk"]["rps"] for r in runs]),
        "rps_all": [round(r["wrk"]["rps"], 1) for r in runs],
        "p50_us": med([lat(r, "p50") for r in runs]),
        "p99_us": med([lat(r, "p99") for r in runs]),
        "bytes_per_request": med([r["wrk"].get("bytes_per_request") for r in runs]),
        "cpu_us_per_request": med(cpu),
        "server_cpu_utilisation": med([r.get("server_cpu_utilisation") for r in runs]),
        "client_cpu_utilisation": med([r.get("client_cpu_utilisation") for r in runs]),
        "other_cpu_share_max": max((r.get("other_cpu_share") or 0) for r in runs),
        "non_2xx_3xx": sum(r["wrk"].get("non_2xx_3xx", 0) for r in runs),
        "socket_errors": sum(r["wrk"].get("socket_errors", 0) for r in runs),
        # requests of a run that found no fresh single-use value left (wrk/request.lua)
        "lines_exhausted": sum(r["wrk"].get("lines_exhausted", 0) for r in runs),
    }


def fmt_us(v):
    if v is None:
        return "–"
    return f"{v / 1000:.2f} ms" if v >= 1000 else f"{v:.0f} µs"


def fmt_num(v, nd=0):
    return "–" if v is None else f"{v:,.{nd}f}"


def summary(work, out_path):
    meta = json.load(open(os.path.join(work, "meta.json")))
    runs = load_runs(os.path.join(work, "runs.jsonl"))
    result = dict(meta)
    result["scenarios"] = []
    table = ["| scenario | gatehouse rps | nginx rps | ratio | p50 | p99 | target | result |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    detail = ["| scenario | run | rate | p50 | p99 | server CPU/req | target | result |",
              "|---|---|---:|---:|---:|---:|---|---|"]
    for sc in meta.get("scenario_list", []):
        name = sc["name"]
        g = aggregate(select(runs, name, "gatehouse", "peak"))
        n = aggregate(select(runs, name, "nginx", "peak"))
        ratio = (g["rps"] / n["rps"]) if g and n and n["rps"] else None
        entry = {"name": name, "description": sc.get("description"), "target": sc.get("target"),
                 "gatehouse": g, "nginx": n, "ratio": ratio}
        verdicts = []
        min_ratio = sc.get("min_ratio")
        if ratio is not None and min_ratio is not None:
            ok = ratio >= min_ratio
            verdicts.append("ok" if ok else "BELOW TARGET")
            entry["ratio_ok"] = ok
        for server, agg in (("gatehouse", g), ("nginx", n)):
            if agg and (agg["non_2xx_3xx"] or agg["socket_errors"] or agg["lines_exhausted"]):
                msg = (f"{name}: {server} answered {agg['non_2xx_3xx']} non-2xx/3xx responses and had "
                       f"{agg['socket_errors']} socket errors during the measured runs")
                if agg["lines_exhausted"]:
                    msg += f"; {agg['lines_exhausted']} requests found no fresh single-use value"
                verdicts.append(f"INVALID: {server} errors")
                meta.setdefault("warnings", []).append(msg + sc.get("error_sample", ""))
                entry["valid"] = False
        table.append("| {} | {} | {} | {} | {} | {} | {} | {} |".format(
            name, fmt_num(g and g["rps"]), fmt_num(n and n["rps"]),
            "–" if ratio is None else f"{ratio * 100:.1f}%",
            fmt_us(g and g["p50_us"]), fmt_us(g and g["p99_us"]),
            sc.get("target", ""), "; ".join(verdicts) or "–"))
        # Half-rate latency runs
        for server in ("gatehouse", "nginx"):
            hr = select(runs, name, server, "halfrate")
            if not hr:
                continue
            r = hr[-1]
            rec = {"method": r.get("method"), "target_rps": r.get("target_rps"),
                   "achieved_rps": r["wrk"]["rps"], "connections": r.get("connections"),
                   "delay_ms": r.get("delay_ms"),
                   "p50_us": r["wrk"]["latency_us"].get("p50"),
                   "p99_us": r["wrk"]["latency_us"].get("p99"),
                   "p999_us": r["wrk"]["latency_us"].get("p999"),
                   "cpu_us_per_request": r.get("cpu_us_per_request"),
                   "non_2xx_3xx": r["wrk"].get("non_2xx_3xx", 0)}
            entry.setdefault("half_rate", {})[server] = rec
            res, tgt = "–", ""
            if server == "gatehouse" and sc.get("max_p99_ms_at_half") is not None:
                tgt = f"p99 < {sc['max_p99_ms_at_half']} ms"
                ok = rec["p99_us"] is not None and rec["p99_us"] < sc["max_p99_ms_at_half"] * 1000
                rec["p99_ok"] = ok
                res = "ok" if ok else "ABOVE TARGET"
            detail.append("| {} | {} at half peak ({}) | {} of {} rps | {} | {} | {} | {} | {} |".format(
                name, server, r.get("method_short", ""), fmt_num(rec["achieved_rps"]),
                fmt_num(rec["target_rps"]), fmt_us(rec["p50_us"]), fmt_us(rec["p99_us"]),
                "–" if rec["cpu_us_per_request"] is None else f"{rec['cpu_us_per_request']:.1f} µs",
                tgt, res))
        for server, agg in (("gatehouse", g), ("nginx", n)):
            if agg:
                detail.append("| {} | {} peak, median of {} | {} rps | {} | {} | {} | | |".format(
                    name, server, agg["runs"], fmt_num(agg["rps"]), fmt_us(agg["p50_us"]),
                    fmt_us(agg["p99_us"]),
                    "–" if agg["cpu_us_per_request"] is None else f"{agg['cpu_us_per_request']:.1f} µs"))
        result["scenarios"].append(entry)

    discarded = [r for r in runs if r.get("kind", "").endswith("-noisy")]
    offrate = [r for r in runs if r.get("kind", "").endswith("-offrate")]
    if offrate:
        meta.setdefault("warnings", []).append(
            f"{len(offrate)} half-rate run(s) missed the target rate by more than 15% and were "
            "repeated (kept in runs_raw with kind 'halfrate-offrate')")
    if discarded:
        meta.setdefault("warnings", []).append(
            f"{len(discarded)} run(s) were repeated because other processes used the machine "
            "during them (kept in runs_raw with kind '...-noisy')")
    noisy = [r for r in runs if r.get("kind") in ("peak", "halfrate")
             and (r.get("other_cpu_share") or 0) > 0.05]
    if noisy:
        worst = max(r["other_cpu_share"] for r in noisy)
        meta.setdefault("warnings", []).append(
            f"{len(noisy)} measured run(s) shared the machine with other work "
            f"(up to {worst * 100:.0f}% of all CPU time went to other processes); "
            "the figures are disturbed: rerun on a quiet machine")
    rss = meta.get("gatehouse_rss_kb", {})
    lines = ["", "## Gatehouse benchmark — " + meta.get("date", ""), "",
             f"Server on core {meta.get('server_core')}, wrk on core {meta.get('client_core')}, "
             f"{meta.get('connections')} connections, {meta.get('duration_s')} s per run, "
             f"median of {meta.get('runs')} runs after a {meta.get('warmup_s')} s warm-up.", ""]
    lines += table + [""] + detail + [""]
    idle = rss.get("idle")
    lines.append("| figure | value | target | result |")
    lines.append("|---|---:|---|---|")
    if idle is not None:
        ok = idle <= 12 * 1024
        result["idle_rss_ok"] = ok
        lines.append(f"| idle RSS after start-up | {idle / 1024:.1f} MB | ≤ 12 MB | {'ok' if ok else 'ABOVE TARGET'} |")
    if rss.get("after_load") is not None:
        lines.append(f"| RSS after the load | {rss['after_load'] / 1024:.1f} MB | | |")
    if rss.get("peak_hwm") is not None:
        lines.append(f"| peak RSS (VmHWM) | {rss['peak_hwm'] / 1024:.1f} MB | | |")
    if meta.get("startup_ms") is not None:
        lines.append(f"| start-up to listening | {meta['startup_ms']} ms | | |")
    if meta.get("halfrate_method"):
        lines += ["", "Half-rate method: " + meta["halfrate_method"]]
    for w in meta.get("warnings", []):
        lines.append("")
        lines.append("WARNING: " + w)
    print("\n".join(lines))
    result["runs_raw"] = runs
    with open(out_path, "w") as f:
        json.dump(result, f, indent=2, sort_keys=False)
        f.write("\n")


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "free-port":
        print("\n".join(str(p) for p in free_ports(int(args[0]) if args else 1)))
    elif cmd == "json-get":
        v = json.load(open(args[0]))
        for part in args[1].split("."):
            v = v[int(part)] if isinstance(v, list) else v[part]
        print(v if not isinstance(v, (dict, list)) else json.dumps(v))
    elif cmd == "parse-headers":
        print(json.dumps(parse_headers(args[0])))
    elif cmd == "nginx-conf":
        cmd_nginx_conf(args)
    elif cmd == "wrk-parse":
        print(json.dumps(wrk_parse(args[0])))
    elif cmd in ("record", "meta"):
        path = args[0]
        rec = parse_kv(args[1:])
        if cmd == "record":
            with open(path, "a") as f:
                f.write(json.dumps(rec) + "\n")
        else:
            cur = json.load(open(path)) if os.path.exists(path) else {}
            for k, v in rec.items():
                if k.endswith("+"):  # append to a list
                    cur.setdefault(k[:-1], []).append(v)
                else:
                    cur[k] = v
            with open(path, "w") as f:
                json.dump(cur, f, indent=2)
    elif cmd == "median":
        rs = select(load_runs(args[0]), args[1], args[2], args[3])
        m = med([r["wrk"]["rps"] for r in rs])
        print("" if m is None else f"{m:.1f}")
    elif cmd == "discard-if-noisy":
        # The last record of RUNS_FILE: if other work took more than THRESHOLD of the machine's
        # CPU during it, rename its kind to KIND-noisy (kept in the raw data, left out of the
        # medians) and print "noisy"; else print "ok".
        path, threshold = args[0], float(args[1])
        suffix = args[2] if len(args) > 2 else "noisy"
        lines = [l for l in open(path) if l.strip()]
        last = json.loads(lines[-1])
        if (last.get("other_cpu_share") or 0) > threshold:
            last["kind"] += "-" + suffix
            lines[-1] = json.dumps(last) + "\n"
            open(path, "w").writelines(lines)
            print("noisy")
        else:
            print("ok")
    elif cmd == "last-run":
        last = load_runs(args[0])[-1]
        print(last["wrk"].get("rps") or 0, last.get("other_cpu_share") or 0)
    elif cmd == "jwt-claims":
        token = json.load(open(args[0]))["access_token"]
        part = lambda p: json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
        header, payload, _ = token.split(".")
        print(json.dumps({"header": part(header), "payload": part(payload)}))
    elif cmd == "first-token":
        t = json.load(open(args[0]))["apiTokens"][0]
        if isinstance(t, dict):
            t = t.get("token") or t.get("value") or t.get("apiToken")
        print(t)
    elif cmd == "summary":
        work = args[args.index("--work") + 1]
        out = args[args.index("--out") + 1]
        summary(work, out)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
