-- Generic wrk script for the Gatehouse benchmark harness (bench/run.sh).
--
-- Everything comes from the environment, so one script serves every scenario:
--   BENCH_METHOD      request method (default GET)
--   BENCH_PATH        path and query (default: the path given on wrk's command line)
--   BENCH_HEADERS     header lines, "Name: value" separated by newlines
--   BENCH_BODY_FILE   file whose bytes are the request body (optional)
--   BENCH_DELAY_MS    if set: mean think time in milliseconds between a connection's
--                     requests (pacing for the latency-at-a-given-rate run; see README)
--
-- done() prints one line "BENCH_JSON {...}" with exact figures (latency in microseconds),
-- which bench/lib/report.py reads; wrk's own --latency text is kept as well.

local method = os.getenv("BENCH_METHOD")
if method and method ~= "" then wrk.method = method end

local path = os.getenv("BENCH_PATH")
if path and path ~= "" then wrk.path = path end

local headers = os.getenv("BENCH_HEADERS") or ""
for line in headers:gmatch("[^\n]+") do
  local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if delay_ms and delay_ms > 0 then
  -- wrk's timer has millisecond granularity: draw floor or ceil so the mean is delay_ms.
  local lo = math.floor(delay_ms)
  local frac = delay_ms - lo
  function init(args)
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  end
  function delay()
    if math.random() < frac then return lo + 1 end
    return lo
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.2f,"stdev":%.2f,"max":%d,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
