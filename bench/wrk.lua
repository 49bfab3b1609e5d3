-- wrk script for bench/run.py.
--
-- Environment:
--   BENCH_METHOD           GET (default) or POST
--   BENCH_HEADERS          extra headers, one "Name: value" a line
--   BENCH_BODY             request body (the answer form, URL-encoded)
--   BENCH_SESSIONS         a file of session keys, one a line: each request
--                          takes the next one (a fresh quiz round per request);
--                          the threads share the file out, line i to thread i mod n
--   BENCH_COOKIE_TEMPLATE  the Cookie header with %s for the session key
--   BENCH_THREADS          wrk's -t, to share the sessions out
-- At the end it prints one line "BENCH_JSON {...}" for bench/run.py.

local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
local header_lines = os.getenv("BENCH_HEADERS") or ""
local sessions_path = os.getenv("BENCH_SESSIONS") or ""
local cookie_template = os.getenv("BENCH_COOKIE_TEMPLATE") or "sessionid=%s"
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local sessions = nil
local index = 0
local wrapped = false
reused = 0

function init(args)
  for line in string.gmatch(header_lines, "[^\n]+") do
    local name, value = string.match(line, "^([^:]+):%s*(.-)%s*$")
    if name then
      wrk.headers[name] = value
    end
  end
  wrk.method = method
  if body ~= "" then
    wrk.body = body
  end
  if sessions_path ~= "" then
    sessions = {}
    local i = 0
    for line in io.lines(sessions_path) do
      if i % thread_count == thread_id and line ~= "" then
        table.insert(sessions, line)
      end
      i = i + 1
    end
  end
end

if sessions_path ~= "" then
  -- Defined only with a session file: without it wrk keeps its fast static request.
  function request()
    index = index + 1
    if index > #sessions then
      -- Out of fresh rounds: start over; those answers are replays (409).
      index = 1
      wrapped = true
    end
    if wrapped then
      reused = reused + 1
    end
    wrk.headers["Cookie"] = string.format(cookie_template, sessions[index])
    return wrk.format()
  end
end

function done(summary, latency, requests)
  local replays = 0
  for _, thread in ipairs(threads) do
    replays = replays + (thread:get("reused") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "status_errors": %d, "timeout_errors": %d, "p50_us": %.0f, "p90_us": %.0f, '
      .. '"p99_us": %.0f, "max_us": %.0f, "mean_us": %.1f, "replayed_sessions": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, replays))
end
