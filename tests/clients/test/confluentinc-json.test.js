// Copyright (c) the LLM Schema Registry authors.
// SPDX-License-Identifier: Apache-2.0
//
// Confluent's official JavaScript client, @confluentinc/schemaregistry, with
// its JSON Schema serdes (JsonSerializer / JsonDeserializer) against the real
// server: the wire-format round trip with auto-registration, a schema with a
// $ref into $defs and one with a Confluent reference to another subject,
// the client-side validation refusing an invalid document (and the server's
// validate endpoint agreeing), and the compatibility policy as a producer
// meets it when it auto-registers a changed schema.
'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const {
	JsonSerializer,
	JsonDeserializer,
	SerdeType,
	SerializationError,
	Compatibility,
} = require('@confluentinc/schemaregistry');
const { uniq, raw, assertSameSchema } = require('./helpers');
const { newClient, rejectsRest } = require('./confluent');

const json = (schema, references) => {
	const info = { schemaType: 'JSON', schema: JSON.stringify(schema) };
	if (references) {
		info.references = references;
	}
	return info;
};

/** The server's own verdict on a document (POST /schemas/ids/{id}/validate). */
async function serverValidates(id, doc) {
	const r = await raw('POST', `/schemas/ids/${id}/validate`, doc);
	assert.equal(r.status, 200, JSON.stringify(r.body));
	return r.body;
}

// A structured output with a $ref into $defs (draft 2020-12).
const invoiceSchema = {
	$schema: 'https://json-schema.org/draft/2020-12/schema',
	title: 'Invoice',
	$defs: {
		money: {
			type: 'object',
			properties: {
				amount: { type: 'number', minimum: 0 },
				currency: { enum: ['EUR', 'USD'] },
			},
			required: ['amount', 'currency'],
			additionalProperties: false,
		},
		line: {
			type: 'object',
			properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]+$' }, price: { $ref: '#/$defs/money' } },
			required: ['sku', 'price'],
		},
	},
	type: 'object',
	properties: {
		lines: { type: 'array', items: { $ref: '#/$defs/line' }, minItems: 1 },
		total: { $ref: '#/$defs/money' },
	},
	required: ['lines', 'total'],
};

const invoice = {
	lines: [{ sku: 'ABC-1', price: { amount: 9.5, currency: 'EUR' } }, { sku: 'XYZ-22', price: { amount: 0.5, currency: 'EUR' } }],
	total: { amount: 10, currency: 'EUR' },
};

describe('@confluentinc/schemaregistry: JSON Schema serdes', () => {
	it('auto-registers the schema of a document, and the round trip gives the document back', async () => {
		const topic = uniq('cfj-auto');
		const ser = new JsonSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true });
		const des = new JsonDeserializer(newClient(), SerdeType.VALUE, {});
		const msg = {
			name: 'Ada', visits: 36, score: 0.5, active: true, tags: ['x', 'y'],
			address: { city: 'London', zip: 'NW1' }, note: null,
		};

		const bytes = await ser.serialize(topic, msg);
		assert.ok(Buffer.isBuffer(bytes));
		assert.equal(bytes[0], 0, 'magic byte');
		const id = bytes.readInt32BE(1);
		assert.deepEqual(JSON.parse(bytes.subarray(5).toString()), msg, 'payload is the JSON text');

		// What the server stored under the topic's value subject.
		const latest = await raw('GET', `/subjects/${topic}-value/versions/latest`);
		assert.equal(latest.status, 200, JSON.stringify(latest.body));
		assert.equal(latest.body.id, id);
		assert.equal(latest.body.version, 1);
		assert.equal(latest.body.schemaType, 'JSON');
		const stored = JSON.parse(latest.body.schema);
		assert.equal(stored.type, 'object');
		assert.deepEqual(Object.keys(stored.properties), Object.keys(msg), 'key order kept');
		assert.equal(stored.properties.address.properties.city.type, 'string');

		assert.deepEqual(await des.deserialize(topic, bytes), msg);

		// The same shape again: the same id, no new version.
		const again = await ser.serialize(topic, { ...msg, name: 'Grace', visits: 1 });
		assert.equal(again.readInt32BE(1), id);
		assert.deepEqual((await raw('GET', `/subjects/${topic}-value/versions`)).body, [1]);

		// The server's validator accepts what the client wrote.
		assert.deepEqual(await serverValidates(id, msg), { valid: true, errors: [] });
	});

	it('a schema with $ref into $defs: validated round trip, invalid document refused on serialize', async () => {
		const topic = uniq('cfj-defs');
		const subject = `${topic}-value`;
		const id = await newClient().register(subject, json(invoiceSchema));
		const md = await newClient().getLatestSchemaMetadata(subject);
		assert.equal(md.id, id);
		assert.equal(md.schemaType, 'JSON');
		assertSameSchema(md.schema, invoiceSchema, 'registered schema');

		const ser = new JsonSerializer(newClient(), SerdeType.VALUE,
			{ autoRegisterSchemas: false, useLatestVersion: true, validate: true });
		const des = new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true });
		const bytes = await ser.serialize(topic, invoice);
		assert.equal(bytes.readInt32BE(1), id);
		assert.deepEqual(await des.deserialize(topic, bytes), invoice);

		// An invalid document: a bad sku inside $defs/line, a currency not in the
		// enum inside $defs/money. The client refuses to serialize it, and the
		// server's validate endpoint finds the same places.
		const bad = {
			lines: [{ sku: 'abc', price: { amount: 1, currency: 'GBP' } }],
			total: { amount: 1, currency: 'EUR' },
		};
		await assert.rejects(ser.serialize(topic, bad), (err) => {
			assert.ok(err instanceof SerializationError, `expected a SerializationError, got ${err && err.stack}`);
			assert.match(err.message, /Invalid message/);
			return true;
		});
		const verdict = await serverValidates(id, bad);
		assert.equal(verdict.valid, false);
		const places = verdict.errors.map((e) => e.instanceLocation).sort();
		assert.deepEqual(places, ['/lines/0/price/currency', '/lines/0/sku']);
		for (const e of verdict.errors) {
			assert.match(e.keywordLocation, /^\/properties\/lines\/items\/\$ref\//);
		}
		// The server agrees with the client on the valid one too.
		assert.equal((await serverValidates(id, invoice)).valid, true);
	});

	it('a Confluent reference to another subject: the client resolves it through the server', async () => {
		const addressSubject = uniq('cfj-address');
		const addressSchema = {
			$schema: 'http://json-schema.org/draft-07/schema#',
			type: 'object',
			properties: { city: { type: 'string' }, zip: { type: 'string', maxLength: 5 } },
			required: ['city'],
		};
		await newClient().register(addressSubject, json(addressSchema));

		const topic = uniq('cfj-ref');
		const subject = `${topic}-value`;
		const customer = {
			$schema: 'http://json-schema.org/draft-07/schema#',
			type: 'object',
			properties: { name: { type: 'string' }, address: { $ref: 'address.json' } },
			required: ['name', 'address'],
		};
		const refs = [{ name: 'address.json', subject: addressSubject, version: 1 }];
		const id = await newClient().register(subject, json(customer, refs));
		const md = await newClient().getLatestSchemaMetadata(subject);
		assert.deepEqual(md.references, refs);

		const ser = new JsonSerializer(newClient(), SerdeType.VALUE,
			{ autoRegisterSchemas: false, useLatestVersion: true, validate: true });
		const des = new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true });
		const doc = { name: 'Lin', address: { city: 'Turin', zip: '10121' } };
		const bytes = await ser.serialize(topic, doc);
		assert.equal(bytes.readInt32BE(1), id);
		assert.deepEqual(await des.deserialize(topic, bytes), doc);

		const bad = { name: 'Lin', address: { zip: '101210' } };
		await assert.rejects(ser.serialize(topic, bad), SerializationError);
		const verdict = await serverValidates(id, bad);
		assert.equal(verdict.valid, false);
		assert.deepEqual(verdict.errors.map((e) => e.instanceLocation).sort(), ['/address', '/address/zip']);
	});

	it('an incompatible auto-registration fails with 409; the LENIENT policy lets it through', async () => {
		const topic = uniq('cfj-policy');
		const subject = `${topic}-value`;
		const client = newClient();
		assert.equal(await client.updateCompatibility(subject, Compatibility.BACKWARD), Compatibility.BACKWARD);
		const ser = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
		await ser.serialize(topic, { name: 'Ada' });
		// A new property in an open content model is incompatible under STRICT
		// (PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL) ...
		await rejectsRest(ser.serialize(topic, { name: 'Ada', city: 'London' }), 409, 409,
			'new property under STRICT');
		assert.deepEqual(await newClient().getAllVersions(subject), [1]);
		// ... and allowed under LENIENT.
		const put = await raw('PUT', `/config/${subject}`, { compatibilityPolicy: 'LENIENT' });
		assert.equal(put.status, 200, JSON.stringify(put.body));
		const bytes = await ser.serialize(topic, { name: 'Ada', city: 'London' });
		assert.deepEqual(await newClient().getAllVersions(subject), [1, 2]);
		const v2 = await newClient().getSchemaMetadata(subject, 2);
		assert.equal(bytes.readInt32BE(1), v2.id);
		// A changed type stays incompatible under LENIENT.
		await rejectsRest(ser.serialize(topic, { name: 7, city: 'London' }), 409, 409, 'type change under LENIENT');
	});

	it('an invalid JSON Schema is refused with 422 / 42201', async () => {
		await rejectsRest(newClient().register(uniq('cfj-invalid'), json({ type: 'object', properties: { a: { type: 'int' } } })),
			422, 42201, 'invalid JSON Schema');
	});
});
