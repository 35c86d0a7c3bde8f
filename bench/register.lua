-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- wrk script: register a NEW schema version on every request.
--   wrk -t1 -c64 -d10s --latency -s bench/register.lua http://HOST:PORT -- NONCE SUBJECTS
-- Every body is a distinct Avro record: a fixed 12-field event plus one
-- optional field ["null","string"] with default null whose name is unique
-- (NONCE, wrk thread, request counter). Consecutive versions of a subject
-- therefore differ by one removed and one added optional field, which is a
-- BACKWARD-compatible change: the subjects keep the default compatibility
-- (BACKWARD), so every registration runs the compatibility check against
-- the latest version, then one durable commit. Requests spread round-robin
-- over SUBJECTS subjects named bench.reg-NNNN-value.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local counter = 0
local nonce, nsubjects
local ct = "application/vnd.schemaregistry.v1+json"

local head = '{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"Registration\\",' ..
	'\\"namespace\\":\\"com.example.bench\\",\\"fields\\":[' ..
	'{\\"name\\":\\"event_id\\",\\"type\\":{\\"type\\":\\"string\\",\\"logicalType\\":\\"uuid\\"}},' ..
	'{\\"name\\":\\"occurred_at\\",\\"type\\":{\\"type\\":\\"long\\",\\"logicalType\\":\\"timestamp-millis\\"}},' ..
	'{\\"name\\":\\"tenant\\",\\"type\\":\\"string\\"},' ..
	'{\\"name\\":\\"user_id\\",\\"type\\":\\"long\\"},' ..
	'{\\"name\\":\\"model\\",\\"type\\":\\"string\\"},' ..
	'{\\"name\\":\\"prompt_tokens\\",\\"type\\":\\"int\\"},' ..
	'{\\"name\\":\\"completion_tokens\\",\\"type\\":\\"int\\"},' ..
	'{\\"name\\":\\"latency_ms\\",\\"type\\":\\"double\\"},' ..
	'{\\"name\\":\\"cached\\",\\"type\\":\\"boolean\\"},' ..
	'{\\"name\\":\\"status\\",\\"type\\":{\\"type\\":\\"enum\\",\\"name\\":\\"Status\\",' ..
	'\\"symbols\\":[\\"OK\\",\\"ERROR\\",\\"TIMEOUT\\"]}},' ..
	'{\\"name\\":\\"tags\\",\\"type\\":{\\"type\\":\\"array\\",\\"items\\":\\"string\\"}},' ..
	'{\\"name\\":\\"attributes\\",\\"type\\":{\\"type\\":\\"map\\",\\"values\\":\\"string\\"}},' ..
	'{\\"name\\":\\"'
local tail = '\\",\\"type\\":[\\"null\\",\\"string\\"],\\"default\\":null}]}"}'

local threads = {}

function setup(thread)
	threads[#threads + 1] = thread
	thread:set("tid", #threads)
end

function init(args)
	nonce = assert(args[1], "NONCE missing")
	nsubjects = tonumber(args[2] or "1000")
	wrk.method = "POST"
	wrk.headers["Content-Type"] = ct
	wrk.headers["Accept"] = ct
end

function request()
	counter = counter + 1
	local subject = string.format("bench.reg-%04d-value", (counter * 7 + tid) % nsubjects)
	local field = string.format("x_%s_%d_%d", nonce, tid, counter)
	return wrk.format("POST", "/subjects/" .. subject .. "/versions", nil, head .. field .. tail)
end

done = common.done
