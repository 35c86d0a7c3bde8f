-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- wrk script: GET a random path from PATHS_FILE (one per line) on every
-- request, over keep-alive connections.
--   wrk -t1 -c64 -d10s --latency -s bench/read.lua http://HOST:PORT -- PATHS_FILE
-- Requests are built once in init(), so the per-request cost in wrk is a
-- random index, the same for every server under test.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local reqs = {}

setup = common.setup

function init(args)
	common.load_requests(reqs, args[1], "paths", function(line)
		return wrk.format("GET", line)
	end)
	common.seed_random()
end

request = common.random_request(reqs)

-- One machine-readable line for bench/run.sh (latencies in microseconds).
done = common.done
