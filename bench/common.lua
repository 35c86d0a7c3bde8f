-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- What the wrk scripts share (bench/read.lua, register.lua, reregister.lua,
-- validation/validate.lua). A script loads it relative to its own path,
-- which works whatever directory wrk runs in:
--   local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
-- wrk runs every script in one Lua state per thread plus one for setup();
-- each loads its own copy.

local common = {}

-- setup(): a different random seed for every wrk thread (read back as the
-- global "seed" by common.seed_random() in init()).
function common.setup(thread)
	thread:set("seed", os.time() * 1000 + math.random(1000))
end

function common.seed_random()
	math.randomseed(seed or os.time())
end

-- common.load_requests(reqs, FILE, WHAT, make): appends make(line, n) to
-- reqs for every line of FILE that is not empty (n counts those lines),
-- unless it returns nil; stops with "no WHAT in FILE" when it appended none.
function common.load_requests(reqs, file, what, make)
	local f = assert(io.open(file, "r"))
	local n, added = 0, 0
	for line in f:lines() do
		if #line > 0 then
			n = n + 1
			local req = make(line, n)
			if req ~= nil then
				reqs[#reqs + 1] = req
				added = added + 1
			end
		end
	end
	f:close()
	assert(added > 0, "no " .. what .. " in " .. file)
end

-- common.random_request(reqs): a request() that returns a random one of
-- reqs (filled later, in init()).
function common.random_request(reqs)
	return function()
		return reqs[math.random(#reqs)]
	end
end

-- common.result(summary, latency, extra): the one machine-readable line
-- the bench scripts read (latencies in microseconds); EXTRA, if given, is
-- appended to it (" name=value ...").
function common.result(summary, latency, extra)
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d " ..
		"err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d%s\n",
		summary.requests, summary.duration, latency:percentile(50),
		latency:percentile(99), latency.max, e.connect, e.read, e.write,
		e.status, e.timeout, extra or ""))
end

-- done(): just the RESULT line.
function common.done(summary, latency, requests)
	common.result(summary, latency)
end

return common
