-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- wrk script: idempotent re-registration. Every request POSTs a schema that
-- is already registered under that subject (a random line of FILE, written
-- by bench/dataset.py as "subject<TAB>body"), so the server answers with
-- the existing version and writes nothing.
--   wrk -t1 -c64 -d10s --latency -s bench/reregister.lua http://HOST:PORT -- FILE

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local reqs = {}
local ct = "application/vnd.schemaregistry.v1+json"

setup = common.setup

function init(args)
	wrk.headers["Content-Type"] = ct
	wrk.headers["Accept"] = ct
	common.load_requests(reqs, args[1], "requests", function(line)
		local subject, body = line:match("^([^\t]+)\t(.+)$")
		if subject then
			return wrk.format("POST", "/subjects/" .. subject .. "/versions", nil, body)
		end
	end)
	common.seed_random()
end

request = common.random_request(reqs)

done = common.done
