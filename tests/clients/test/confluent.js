// Copyright (c) the LLM Schema Registry authors.
// SPDX-License-Identifier: Apache-2.0
//
// Shared by the @confluentinc/schemaregistry test files: a fresh client and
// the assertion on the client's RestError.
'use strict';

const assert = require('node:assert/strict');
const { SchemaRegistryClient, RestError } = require('@confluentinc/schemaregistry');
const { SR_URL } = require('./helpers');

/** A fresh client: its caches never hide what the server answers. */
function newClient() {
	// No retries: a retriable status (5xx, 429) must fail the test, not be
	// papered over.
	return new SchemaRegistryClient({ baseURLs: [SR_URL], maxRetries: 0 });
}

/** Asserts that `promise` rejects with a RestError of that status and error code. */
async function rejectsRest(promise, status, errorCode, what) {
	await assert.rejects(promise, (err) => {
		assert.ok(err instanceof RestError, `${what}: expected a RestError, got ${err && err.stack}`);
		assert.equal(err.status, status, `${what}: HTTP status (${err.message})`);
		assert.equal(err.errorCode, errorCode, `${what}: error_code (${err.message})`);
		return true;
	}, what);
}

module.exports = { newClient, rejectsRest };
