-- wrk script: POSTs the AdmissionReview in BENCH_BODY to every request; BENCH_CLOSE=1 asks for a new connection (and
-- so a full TLS handshake: wrk does not resume sessions) per request. Prints one machine-readable line at the end.
local file = assert(io.open(assert(os.getenv("BENCH_BODY"), "BENCH_BODY is not set"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format("BENCH rps=%.1f p50=%.3f p99=%.3f p999=%.3f requests=%d socket_errors=%d non2xx=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    summary.requests, errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
