-- wrk script: cycles through the requests written by bench/peer (one JSON body and one token per line pair,
-- in PEER_REQUESTS), counts non-200 answers and answers with a top-level "errors", and prints p50/p99 as JSON.
local bodies, tokens = {}, {}
local index = 0
problems = 0  -- global: done() reads each thread's count

function init(args)
  local path = os.getenv("PEER_REQUESTS")
  local file = assert(io.open(path, "r"))
  while true do
    local token = file:read("*l")
    local body = file:read("*l")
    if not body then break end
    tokens[#tokens + 1] = token
    bodies[#bodies + 1] = body
  end
  file:close()
  index = math.random(#bodies) - 1
end

function request()
  index = index % #bodies + 1
  local headers = { ["Content-Type"] = "application/json" }
  if tokens[index] ~= "" then headers["Authorization"] = "Bearer " .. tokens[index] end
  return wrk.format("POST", "/graphql", headers, bodies[index])
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    problems = problems + 1
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("problems") or 0) end
  io.write(string.format(
    'PEER_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
