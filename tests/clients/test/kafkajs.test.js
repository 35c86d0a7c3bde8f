// Copyright (c) the LLM Schema Registry authors.
// SPDX-License-Identifier: Apache-2.0
//
// @kafkajs/confluent-schema-registry 3.9 against the real server: register
// (which reads and sets the subject's compatibility), encode and decode in the
// Confluent wire format, id look-ups, schema references and reader-schema
// evolution, and the errors it surfaces.
'use strict';

const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const { SchemaRegistry, SchemaType, COMPATIBILITY } = require('@kafkajs/confluent-schema-registry');
const { version: clientVersion } = require('@kafkajs/confluent-schema-registry/package.json');
const { SR_URL, uniq, raw, assertSameSchema } = require('./helpers');

/** A fresh client: its id cache never hides what the server answers. */
function newRegistry() {
	// No retries: a 5xx must fail the test, not be retried away.
	return new SchemaRegistry({ host: SR_URL, retry: { retries: 0 } });
}

/** A decoded Avro record as plain JSON data (avsc decodes into record classes). */
const plain = (value) => JSON.parse(JSON.stringify(value));

/** Asserts that `promise` rejects with the client's ResponseError of that status. */
async function rejectsStatus(promise, status, what) {
	await assert.rejects(promise, (err) => {
		assert.equal(err.status, status, `${what}: HTTP status (${err && err.message})`);
		return true;
	}, what);
}

const NS = 'com.example.kjs';

function orderSchema(name) {
	return {
		type: 'record',
		name,
		namespace: NS,
		fields: [
			{ name: 'orderId', type: 'string' },
			{ name: 'amount', type: 'double' },
			{ name: 'items', type: { type: 'array', items: 'string' } },
			{ name: 'note', type: ['null', 'string'], default: null },
		],
	};
}

const avroSchema = (schema, references) => ({
	type: SchemaType.AVRO,
	schema: JSON.stringify(schema),
	...(references ? { references } : {}),
});

describe('@kafkajs/confluent-schema-registry', () => {
	it('is the 3.9 line', () => {
		assert.match(clientVersion, /^3\.9\./);
	});

	it('register, then encode and decode in the Confluent wire format', async () => {
		const subject = uniq('kjs-order');
		const schema = orderSchema('Order');
		const registry = newRegistry();
		const { id } = await registry.register(avroSchema(schema), { subject });
		assert.ok(Number.isInteger(id) && id > 0, `id ${id}`);

		const payload = { orderId: 'o-1', amount: 12.5, items: ['a', 'b'], note: 'gift' };
		const encoded = await registry.encode(id, payload);
		assert.equal(encoded[0], 0, 'magic byte');
		assert.equal(encoded.readInt32BE(1), id);

		// A second client knows nothing: it must fetch the schema by id.
		assert.deepEqual(plain(await newRegistry().decode(encoded)), payload);

		const stored = await raw('GET', `/subjects/${subject}/versions/1`);
		assert.equal(stored.status, 200, JSON.stringify(stored.body));
		assert.equal(stored.body.id, id);
		assertSameSchema(stored.body.schema, schema, 'stored schema');
	});

	it('first register sets the subject compatibility; the same schema again keeps its id', async () => {
		const subject = uniq('kjs-config');
		const schema = orderSchema('ConfigOrder');
		// The client reads GET /config/{subject}; a 404 means "first registration".
		const before = await raw('GET', `/config/${subject}`);
		assert.equal(before.status, 404, JSON.stringify(before.body));

		const { id } = await newRegistry().register(avroSchema(schema), { subject });
		const after = await raw('GET', `/config/${subject}`);
		assert.equal(after.status, 200, JSON.stringify(after.body));
		assert.equal(after.body.compatibilityLevel, COMPATIBILITY.BACKWARD);

		// Now the config exists and matches, so this goes straight to register.
		const again = await newRegistry().register(avroSchema(schema), { subject });
		assert.equal(again.id, id);

		// A different requested level is refused by the client from the config it read.
		await assert.rejects(
			newRegistry().register(avroSchema(schema), { subject, compatibility: COMPATIBILITY.FULL }),
			(err) => err.name === 'ConfluentSchemaRegistryCompatibilityError'
				&& /FULL != BACKWARD/.test(err.message));
	});

	it('the subject defaults to namespace.name', async () => {
		const name = `Auto${process.pid}x${Date.now()}`;
		const schema = orderSchema(name);
		const { id } = await newRegistry().register(avroSchema(schema));
		assert.equal(await newRegistry().getLatestSchemaId(`${NS}.${name}`), id);
	});

	it('getLatestSchemaId, getRegistryId, getRegistryIdBySchema and getSchema', async () => {
		const subject = uniq('kjs-ids');
		const v1 = orderSchema('Ids');
		const v2 = { ...v1, fields: [...v1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
		const registry = newRegistry();
		const { id: id1 } = await registry.register(avroSchema(v1), { subject });
		const { id: id2 } = await registry.register(avroSchema(v2), { subject });
		assert.notEqual(id1, id2);

		const fresh = newRegistry();
		assert.equal(await fresh.getLatestSchemaId(subject), id2);
		assert.equal(await fresh.getRegistryId(subject, 1), id1);
		assert.equal(await fresh.getRegistryId(subject, 2), id2);
		assert.equal(await fresh.getRegistryId(subject, 'latest'), id2);
		assert.equal(await fresh.getRegistryIdBySchema(subject, avroSchema(v1)), id1);

		const type = await fresh.getSchema(id2);
		assert.equal(type.name, `${NS}.Ids`);
		assert.deepEqual(type.fields.map((f) => f.name), ['orderId', 'amount', 'items', 'note', 'currency']);
	});

	it('decode with a newer reader schema fills the default', async () => {
		const subject = uniq('kjs-evolve');
		const v1 = orderSchema('Evolving');
		const v2 = { ...v1, fields: [...v1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
		const registry = newRegistry();
		const { id: id1 } = await registry.register(avroSchema(v1), { subject });
		const old = await registry.encode(id1, { orderId: 'o-7', amount: 1, items: [], note: null });

		await registry.register(avroSchema(v2), { subject });
		const decoded = await newRegistry().decode(old, { [SchemaType.AVRO]: { readerSchema: v2 } });
		assert.deepEqual(plain(decoded), { orderId: 'o-7', amount: 1, items: [], note: null, currency: 'EUR' });
	});

	it('an incompatible schema is refused with 409 and the server message', async () => {
		const subject = uniq('kjs-409');
		const v1 = orderSchema('Strict');
		const registry = newRegistry();
		await registry.register(avroSchema(v1), { subject });
		// amount: double -> string cannot be read from old data.
		const bad = { ...v1, fields: v1.fields.map((f) => (f.name === 'amount' ? { ...f, type: 'string' } : f)) };
		await rejectsStatus(registry.register(avroSchema(bad), { subject }), 409, 'incompatible register');
		const versions = await raw('GET', `/subjects/${subject}/versions`);
		assert.deepEqual(versions.body, [1]);
	});

	it('unknown ids and subjects surface as 404', async () => {
		const registry = newRegistry();
		const bogus = Buffer.from([0, 0x7f, 0xff, 0xff, 0x00, 0x02, 0x41]);
		await rejectsStatus(registry.decode(bogus), 404, 'decode with an unknown id');
		await rejectsStatus(registry.getLatestSchemaId(uniq('kjs-none')), 404, 'latest of unknown subject');
	});
});

describe('@kafkajs/confluent-schema-registry: schema references', () => {
	const addressSubject = uniq('kjs-address');
	const customerSubject = uniq('kjs-customer');
	const address = {
		type: 'record',
		name: 'Address',
		namespace: NS,
		fields: [
			{ name: 'street', type: 'string' },
			{ name: 'city', type: 'string' },
		],
	};
	const customer = {
		type: 'record',
		name: 'Customer',
		namespace: NS,
		fields: [
			{ name: 'name', type: 'string' },
			{ name: 'home', type: `${NS}.Address` },
			{ name: 'others', type: { type: 'array', items: `${NS}.Address` } },
		],
	};
	const refs = [{ name: `${NS}.Address`, subject: addressSubject, version: 1 }];
	let id;

	before(async () => {
		const registry = newRegistry();
		await registry.register(avroSchema(address), { subject: addressSubject });
		({ id } = await registry.register(avroSchema(customer, refs), { subject: customerSubject }));
	});

	it('register, encode and decode a schema with a reference', async () => {
		assert.ok(Number.isInteger(id) && id > 0, `id ${id}`);
		// The server stored the reference and hands it out with the schema.
		const byId = await raw('GET', `/schemas/ids/${id}`);
		assert.equal(byId.status, 200, JSON.stringify(byId.body));
		assert.deepEqual(byId.body.references, refs);

		const payload = {
			name: 'Ada',
			home: { street: '1 Main St', city: 'London' },
			others: [{ street: '2 Side St', city: 'Paris' }],
		};
		const encoded = await newRegistry().encode(id, payload);
		assert.equal(encoded.readInt32BE(1), id);
		// A fresh client resolves the reference from the server to decode.
		assert.deepEqual(plain(await newRegistry().decode(encoded)), payload);
		// Registering it again is idempotent.
		assert.equal((await newRegistry().register(avroSchema(customer, refs), { subject: customerSubject })).id, id);
	});

	it('getRegistryIdBySchema finds it by its form with the reference resolved inline', async () => {
		// getRegistryIdBySchema posts only { schemaType, schema }, never the
		// references (SchemaRegistry.js, getRegistryIdBySchema), so its caller sends
		// the schema with the referenced type defined inline. Confluent's lookup
		// (POST /subjects/{subject}) falls back to ParsedSchema.canLookup, which
		// matches such a schema to the stored version whose references resolve to
		// the same types.
		const inline = {
			...customer,
			fields: customer.fields.map((f) => (f.name === 'home' ? { ...f, type: address } : f)),
		};
		assert.equal(await newRegistry().getRegistryIdBySchema(customerSubject, avroSchema(inline)), id);
	});
});
