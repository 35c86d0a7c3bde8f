-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- wrk script: GET a random path from PATHS_FILE (one per line) on every
-- request, over keep-alive connections.
--   wrk -t1 -c64 -d10s --latency -s bench/read.lua http://HOST:PORT -- PATHS_FILE
-- Requests are built once in init(), so the per-request cost in wrk is a
-- random index, the same for every server under test.

local reqs = {}

function setup(thread)
	thread:set("seed", os.time() * 1000 + math.random(1000))
end

function init(args)
	local f = assert(io.open(args[1], "r"))
	for line in f:lines() do
		if #line > 0 then
			reqs[#reqs + 1] = wrk.format("GET", line)
		end
	end
	f:close()
	assert(#reqs > 0, "no paths in " .. args[1])
	math.randomseed(seed or os.time())
end

function request()
	return reqs[math.random(#reqs)]
end

-- One machine-readable line for bench/run.sh (latencies in microseconds).
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d " ..
		"err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
		summary.requests, summary.duration, latency:percentile(50),
		latency:percentile(99), latency.max, e.connect, e.read, e.write,
		e.status, e.timeout))
end
