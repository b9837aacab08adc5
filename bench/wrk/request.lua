-- Generic wrk script for the Gatehouse benchmark harness (bench/run.sh).
--
-- Everything comes from the environment, so one script serves every scenario:
--   BENCH_METHOD      request method (default GET)
--   BENCH_PATH        path and query (default: the path given on wrk's command line)
--   BENCH_HEADERS     header lines, "Name: value" separated by newlines
--   BENCH_BODY_FILE   file whose bytes are the request body (optional)
--   BENCH_DELAY_MS    if set: mean think time in milliseconds between a connection's
--                     requests, exponentially distributed (pacing for the latency-at-a-given-
--                     rate run; see README)
--   BENCH_LINES_FILE  if set: a file of single-use values, one a line (client assertions,
--                     DPoP proofs); each request takes the next line in place of {{LINE}} in
--                     the headers and the body
--   BENCH_LINES_WRAP  1: start over at the first line when all are used (for nginx, which
--                     does not check them); otherwise the last line is sent again (the server
--                     refuses the replay) and the requests without a fresh line are counted in
--                     "lines_exhausted"
--   BENCH_RUN_ID      with {{SEQ}} in the headers or the body: replaced per request by
--                     RUN_ID-THREAD-N, unique within the run (user logins); the harness passes
--                     a new RUN_ID for every run
--
-- done() prints one line "BENCH_JSON {...}" with exact figures (latency in microseconds),
-- which bench/lib/bench.py reads; wrk's own --latency text is kept as well. Without {{LINE}}
-- or {{SEQ}} the request is static (no request() function: wrk sends the same bytes each time).

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

-- Per-request values: a template with {{LINE}} or {{SEQ}} is split into parts once, and each
-- request joins the parts with the value (table.concat), so values need no escaping.
local function split(template, mark)
  local parts, from = {}, 1
  while true do
    local i, j = template:find(mark, from, true)
    if not i then parts[#parts + 1] = template:sub(from); return parts end
    parts[#parts + 1] = template:sub(from, i - 1)
    from = j + 1
  end
end
local dynamic = {}   -- {kind = "LINE"|"SEQ", parts = {...}, header = NAME or nil (the body)}
local function scan(template, header)
  if not template then return end
  local line, seq = template:find("{{LINE}}", 1, true), template:find("{{SEQ}}", 1, true)
  assert(not (line and seq), "one kind of placeholder per header or body")
  if line then dynamic[#dynamic + 1] = {kind = "LINE", parts = split(template, "{{LINE}}"), header = header} end
  if seq then dynamic[#dynamic + 1] = {kind = "SEQ", parts = split(template, "{{SEQ}}"), header = header} end
end
for name, value in pairs(wrk.headers) do scan(value, name) end
scan(wrk.body, nil)

local lines_file = os.getenv("BENCH_LINES_FILE") or ""
local lines_wrap = os.getenv("BENCH_LINES_WRAP") == "1"
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local threads = {}

if #dynamic > 0 then
  -- Globals of each thread's Lua state (read by done() through thread:get).
  bench_used, bench_exhausted, bench_tid = 0, 0, 0
  local lines, n_lines, seq = nil, 0, 0
  local hdrs = {}
  for name, value in pairs(wrk.headers) do hdrs[name] = value end

  function setup(thread)
    threads[#threads + 1] = thread
    thread:set("bench_tid", #threads)
  end

  function init(args)
    if lines_file ~= "" then
      -- Read here (in each thread's state, before the run's clock starts), not at load time.
      lines = {}
      for l in io.lines(lines_file) do
        if l ~= "" then n_lines = n_lines + 1; lines[n_lines] = l end
      end
      assert(n_lines > 0, "BENCH_LINES_FILE is empty")
    end
    if delay_init then delay_init(args) end
  end

  function request()
    local line, id, body = nil, nil, wrk.body
    for _, d in ipairs(dynamic) do
      local value
      if d.kind == "LINE" then
        if not line then
          assert(lines, "{{LINE}} without BENCH_LINES_FILE")
          local i = bench_used + 1
          if i > n_lines then
            if lines_wrap then i = (i - 1) % n_lines + 1 else bench_exhausted = bench_exhausted + 1; i = n_lines end
          end
          bench_used = bench_used + 1
          line = lines[i]
        end
        value = line
      else
        if not id then seq = seq + 1; id = run_id .. "-" .. bench_tid .. "-" .. seq end
        value = id
      end
      local text = table.concat(d.parts, value)
      if d.header then hdrs[d.header] = text else body = text end
    end
    return wrk.format(nil, nil, hdrs, body)
  end
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if delay_ms and delay_ms > 0 then
  -- Think times are drawn from an exponential distribution with mean delay_ms (each connection
  -- then sends as a Poisson source would, between its responses). A constant think time would
  -- keep the connections in step: once a hiccup lines them up, all of them send together each
  -- cycle, and the last of each burst waits for the whole burst (a latency of the load
  -- generator, not of the server; bench/README.md, "Half-rate method"). wrk's timer counts
  -- whole milliseconds: each draw is rounded up or down at random so the mean stays exact.
  function delay_init(args)
    math.randomseed(os.time() + math.floor(os.clock() * 1e6) + (bench_tid or 0))
  end
  if #dynamic == 0 then init = delay_init end
  function delay()
    local d = -delay_ms * math.log(1 - math.random())
    local lo = math.floor(d)
    if math.random() < d - lo then return lo + 1 end
    return lo
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local extra = ""
  if #dynamic > 0 then
    local used, exhausted = 0, 0
    for _, t in ipairs(threads) do
      used = used + (t:get("bench_used") or 0)
      exhausted = exhausted + (t:get("bench_exhausted") or 0)
    end
    extra = string.format(',"lines_used":%d,"lines_exhausted":%d', used, exhausted)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.2f,"stdev":%.2f,"max":%d,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d}%s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), extra))
end
