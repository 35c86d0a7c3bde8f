// Copyright (c) the LLM Schema Registry authors.
// SPDX-License-Identifier: Apache-2.0
//
// Shared by the client tests: where the server is (run.sh exports SR_URL),
// unique subject names (every test file shares one server), and a raw HTTP
// call for checking what the server stored independently of the client.
'use strict';

const assert = require('node:assert/strict');

const SR_URL = process.env.SR_URL;
if (!SR_URL) {
	throw new Error('SR_URL is not set: run the client tests through tests/clients/run.sh');
}

let counter = 0;

/** A subject (or topic) name no other test or test file uses. */
function uniq(prefix) {
	counter += 1;
	return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** One HTTP call straight to the server: { status, body } (body parsed as JSON). */
async function raw(method, path, body) {
	const init = { method, headers: { Accept: 'application/vnd.schemaregistry.v1+json' } };
	if (body !== undefined) {
		init.headers['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
		init.body = JSON.stringify(body);
	}
	const res = await fetch(SR_URL + path, init);
	const text = await res.text();
	let parsed;
	try {
		parsed = text.length ? JSON.parse(text) : undefined;
	} catch (e) {
		throw new Error(`${method} ${path}: answer is not JSON (status ${res.status}): ${text}`);
	}
	return { status: res.status, body: parsed };
}

/** Two schema strings describe the same JSON document. */
function assertSameSchema(actual, expected, what) {
	assert.equal(typeof actual, 'string', `${what}: schema is a string`);
	const a = JSON.parse(actual);
	const e = typeof expected === 'string' ? JSON.parse(expected) : expected;
	assert.deepEqual(a, e, `${what}: schema differs`);
}

module.exports = { SR_URL, uniq, raw, assertSameSchema };
