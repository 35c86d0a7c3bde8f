-- Copyright (c) the LLM Schema Registry authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- wrk script: POST a random document of a corpus to a validate endpoint on
-- every request, over keep-alive connections, and check every answer.
--   wrk -t1 -c64 -d10s --latency -s bench/validation/validate.lua \
--       http://HOST:PORT -- PATH VALID.jsonl INVALID.jsonl
-- PATH is e.g. /schemas/ids/1/validate?formatAssertion=true. Requests are
-- built once in init(); each carries X-Request-ID "v<n>" or "i<n>" (the
-- file it came from), which the server echoes, so every answer is checked
-- against the document it answers: status 200 and {"valid":true} for a
-- line of VALID, {"valid":false} for a line of INVALID.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "../common.lua")
local reqs = {}
local threads = {}

sent_valid, sent_invalid = 0, 0
ok_valid, ok_invalid = 0, 0
wrong, not_200 = 0, 0
wrong_sample = ""

function setup(thread)
	common.setup(thread)
	table.insert(threads, thread)
end

local function load(path, file, tag)
	common.load_requests(reqs, file, "documents", function(line, n)
		return {
			valid = tag == "v",
			text = wrk.format("POST", path, {
				["Content-Type"] = "application/json",
				["X-Request-ID"] = tag .. n,
			}, line),
		}
	end)
end

function init(args)
	load(args[1], args[2], "v")
	load(args[1], args[3], "i")
	common.seed_random()
end

function request()
	local r = reqs[math.random(#reqs)]
	if r.valid then
		sent_valid = sent_valid + 1
	else
		sent_invalid = sent_invalid + 1
	end
	return r.text
end

function response(status, headers, body)
	if status ~= 200 then
		not_200 = not_200 + 1
		return
	end
	local id = headers["X-Request-ID"] or headers["x-request-id"] or ""
	local want = id:sub(1, 1)
	local got = body:match('^{"valid":(%a+)')
	if want == "v" and got == "true" then
		ok_valid = ok_valid + 1
	elseif want == "i" and got == "false" then
		ok_invalid = ok_invalid + 1
	else
		wrong = wrong + 1
		if wrong_sample == "" then
			wrong_sample = id .. " " .. body:sub(1, 200)
		end
	end
end

-- One machine-readable line for run.sh (latencies in microseconds).
function done(summary, latency, requests)
	local t = { sent_valid = 0, sent_invalid = 0, ok_valid = 0, ok_invalid = 0,
		    wrong = 0, not_200 = 0 }
	local sample = ""
	for _, thread in ipairs(threads) do
		for k, _ in pairs(t) do
			t[k] = t[k] + (thread:get(k) or 0)
		end
		local s = thread:get("wrong_sample")
		if s and s ~= "" and sample == "" then
			sample = s
		end
	end
	common.result(summary, latency, string.format(
		" sent_valid=%d sent_invalid=%d ok_valid=%d ok_invalid=%d wrong=%d not_200=%d",
		t.sent_valid, t.sent_invalid, t.ok_valid, t.ok_invalid, t.wrong, t.not_200))
	if sample ~= "" then
		io.write("WRONG " .. sample:gsub("\n", " ") .. "\n")
	end
end
