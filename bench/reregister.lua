-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- wrk script: idempotent re-registration. Every request POSTs a schema that
-- is already registered under that subject (a random line of FILE, written
-- by bench/dataset.py as "subject<TAB>body"), so the server answers with
-- the existing version and writes nothing.
--   wrk -t1 -c64 -d10s --latency -s bench/reregister.lua http://HOST:PORT -- FILE

local reqs = {}
local ct = "application/vnd.schemaregistry.v1+json"

function setup(thread)
	thread:set("seed", os.time() * 1000 + math.random(1000))
end

function init(args)
	local f = assert(io.open(args[1], "r"))
	wrk.headers["Content-Type"] = ct
	wrk.headers["Accept"] = ct
	for line in f:lines() do
		local subject, body = line:match("^([^\t]+)\t(.+)$")
		if subject then
			reqs[#reqs + 1] = wrk.format("POST", "/subjects/" .. subject .. "/versions", nil, body)
		end
	end
	f:close()
	assert(#reqs > 0, "no requests in " .. args[1])
	math.randomseed(seed or os.time())
end

function request()
	return reqs[math.random(#reqs)]
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d " ..
		"err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
		summary.requests, summary.duration, latency:percentile(50),
		latency:percentile(99), latency.max, e.connect, e.read, e.write,
		e.status, e.timeout))
end
