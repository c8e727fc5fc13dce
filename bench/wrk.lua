-- One journey of `make bench`, driven by wrk (https://github.com/wg/wrk).
--
--   wrk -t2 -c8 -d10s -s bench/wrk.lua http://127.0.0.1:8765 -- FILE EXPECTED ONE_USE 2 4
--
-- EXPECTED is one status, or several separated by commas (a booking answers 201 or 409): each
-- is counted apart and reported as "expected_counts" ("201:n 409:m").
--
-- FILE holds the journey: lines "H<TAB>Name: value" (headers for every request), then lines
-- "R<TAB>METHOD<TAB>PATH<TAB>BODY" (bench/journeys.py writes it). Threads take the requests in
-- turn (thread k sends requests k, k + threads, ...), cycling for reads. ONE_USE = 1 marks
-- requests that may be sent once only (a session's start token charts one session): a thread
-- stops before it could run out, so no request is ever repeated. The last two arguments repeat
-- wrk's threads and connections per thread (a thread's script cannot see them).
--
-- A response whose status is not EXPECTED counts as an error (wrk itself counts only sockets
-- and statuses >= 400). Each response's X-Query-Count header (the server's own count, see
-- QueryCountHeaderMiddleware) is summed. done() prints one line "BENCH_JSON {...}".

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_count = tonumber(args[4])
  codes = args[2]
  expected = {}
  for code in string.gmatch(codes, "%d+") do expected[#expected + 1] = tonumber(code) end
  one_use = args[3] == "1"
  connections = tonumber(args[5] or "4")
  local headers = {}
  requests = {}
  for line in io.lines(args[1]) do
    local kind, rest = line:match("^(%u)\t(.*)$")
    if kind == "H" then
      local name, value = rest:match("^([^:]+):%s*(.*)$")
      headers[name] = value
    elseif kind == "R" then
      local method, path, body = rest:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if body == "" then body = nil end
      requests[#requests + 1] = wrk.format(method, path, headers, body)
    end
  end
  next_index = id
  responses, unexpected, queries = 0, 0, 0
  seen1, seen2, seen3 = 0, 0, 0
  queries_min, queries_max = -1, 0
  statuses = ""
end

function request()
  local index = next_index
  if index > #requests then
    if one_use then
      -- Never reached when the file is long enough (see response); sent as-is it would be
      -- refused and counted as an error, which is the honest outcome.
      index = #requests
    else
      index = ((index - 1) % #requests) + 1
    end
  end
  next_index = index + thread_count
  return requests[index]
end

function response(status, headers, body)
  responses = responses + 1
  if status == expected[1] then
    seen1 = seen1 + 1
  elseif status == expected[2] then
    seen2 = seen2 + 1
  elseif status == expected[3] then
    seen3 = seen3 + 1
  else
    unexpected = unexpected + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
  local count = tonumber(headers["X-Query-Count"] or headers["x-query-count"] or "")
  if count then
    queries = queries + count
    if queries_min < 0 or count < queries_min then queries_min = count end
    if count > queries_max then queries_max = count end
  end
  -- One-use requests: stop while every connection still holds an unsent one.
  if one_use and next_index + thread_count * connections > #requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests_done)
  local total = {responses = 0, unexpected = 0, queries = 0, qmin = -1, qmax = 0}
  local seen = ""
  local counts = {0, 0, 0}
  for _, thread in ipairs(threads) do
    counts[1] = counts[1] + thread:get("seen1")
    counts[2] = counts[2] + thread:get("seen2")
    counts[3] = counts[3] + thread:get("seen3")
    total.responses = total.responses + thread:get("responses")
    total.unexpected = total.unexpected + thread:get("unexpected")
    total.queries = total.queries + thread:get("queries")
    local qmin = thread:get("queries_min")
    if qmin >= 0 and (total.qmin < 0 or qmin < total.qmin) then total.qmin = qmin end
    if thread:get("queries_max") > total.qmax then total.qmax = thread:get("queries_max") end
    seen = seen .. thread:get("statuses")
  end
  -- done() runs in wrk's main Lua state, where init() never ran: the codes come from a thread.
  local expected_counts = ""
  local index = 0
  for code in string.gmatch(threads[1]:get("codes"), "%d+") do
    index = index + 1
    expected_counts = expected_counts .. code .. ":" .. counts[index] .. " "
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "responses": %d, "unexpected": %d, ' ..
    '"unexpected_statuses": "%s", "socket_errors": %d, "timeouts": %d, "queries": %d, ' ..
    '"queries_min": %d, "queries_max": %d, "expected_counts": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, total.responses, total.unexpected,
    seen, errors.connect + errors.read + errors.write, errors.timeout, total.queries,
    total.qmin, total.qmax, expected_counts))
end
