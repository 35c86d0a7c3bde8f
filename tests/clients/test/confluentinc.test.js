// Copyright (c) the LLM Schema Registry authors.
// SPDX-License-Identifier: Apache-2.0
//
// Confluent's official JavaScript client, @confluentinc/schemaregistry, with
// its Avro serdes, against the real server: the REST calls a producer or
// consumer makes, the Avro wire format round trip with auto-registration,
// schema evolution under BACKWARD, and the 409 an incompatible change gets.
'use strict';

const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const {
	AvroSerializer,
	AvroDeserializer,
	SerdeType,
	HeaderSchemaIdSerializer,
	VALUE_SCHEMA_ID_HEADER,
	Compatibility,
} = require('@confluentinc/schemaregistry');
const { uniq, raw, assertSameSchema } = require('./helpers');
const { newClient, rejectsRest } = require('./confluent');

const userV1 = {
	type: 'record',
	name: 'User',
	namespace: 'com.example.clients',
	fields: [
		{ name: 'id', type: 'long' },
		{ name: 'name', type: 'string' },
		{ name: 'tags', type: { type: 'array', items: 'string' } },
	],
};

// v2: one more field, with a default, so v2 can read v1 data (BACKWARD).
const userV2 = {
	...userV1,
	fields: [...userV1.fields, { name: 'email', type: 'string', default: 'unknown' }],
};

// v3: one more field without a default: v3 cannot read v2 data.
const userV3 = {
	...userV2,
	fields: [...userV2.fields, { name: 'phone', type: 'string' }],
};

/** A decoded Avro record as plain JSON data (avsc decodes into record classes). */
const plain = (value) => JSON.parse(JSON.stringify(value));

const avro = (schema) => ({ schemaType: 'AVRO', schema: JSON.stringify(schema) });

describe('@confluentinc/schemaregistry: REST client', () => {
	const subject = uniq('cf-rest');
	let id1;

	before(async () => {
		id1 = await newClient().register(subject, avro(userV1));
	});

	it('register returns a positive integer id; the same schema again gets the same id', async () => {
		assert.ok(Number.isInteger(id1) && id1 > 0, `id ${id1}`);
		const again = await newClient().register(subject, avro(userV1));
		assert.equal(again, id1);
	});

	it('registerFullResponse carries id, version and the schema (Confluent 7.5+)', async () => {
		const md = await newClient().registerFullResponse(subject, avro(userV1));
		assert.equal(md.id, id1);
		assert.equal(md.version, 1);
		assertSameSchema(md.schema, userV1, 'register response');
	});

	it('the same schema under another subject gets the same id', async () => {
		const other = uniq('cf-rest-other');
		assert.equal(await newClient().register(other, avro(userV1)), id1);
	});

	it('getBySubjectAndId returns the registered schema', async () => {
		const info = await newClient().getBySubjectAndId(subject, id1);
		assertSameSchema(info.schema, userV1, 'by id');
		assert.equal(info.schemaType ?? 'AVRO', 'AVRO');
	});

	it('getLatestSchemaMetadata and getSchemaMetadata describe version 1', async () => {
		const client = newClient();
		for (const md of [await client.getLatestSchemaMetadata(subject),
			await client.getSchemaMetadata(subject, 1)]) {
			assert.equal(md.id, id1);
			assert.equal(md.version, 1);
			assert.equal(md.subject, subject);
			assertSameSchema(md.schema, userV1, 'metadata');
		}
	});

	it('getAllVersions, getVersion, getId and getAllSubjects', async () => {
		const client = newClient();
		assert.deepEqual(await client.getAllVersions(subject), [1]);
		assert.equal(await client.getVersion(subject, avro(userV1)), 1);
		assert.equal(await client.getId(subject, avro(userV1)), id1);
		const subjects = await client.getAllSubjects();
		assert.ok(Array.isArray(subjects) && subjects.includes(subject), `${subject} in ${subjects}`);
	});

	it('unknown subject, version and id surface as RestErrors with Confluent codes', async () => {
		const client = newClient();
		const missing = uniq('cf-missing');
		await rejectsRest(client.getLatestSchemaMetadata(missing), 404, 40401, 'latest of unknown subject');
		await rejectsRest(client.getSchemaMetadata(subject, 99), 404, 40402, 'unknown version');
		await rejectsRest(client.getBySubjectAndId(subject, 2147483000), 404, 40403, 'unknown id');
		await rejectsRest(client.getId(subject, avro({ ...userV1, name: 'Other' })), 404, 40403,
			'lookup of a schema the subject does not have');
	});

	it('an invalid schema is refused with 422 / 42201', async () => {
		await rejectsRest(newClient().register(uniq('cf-invalid'),
			{ schemaType: 'AVRO', schema: '{"type":"record","name":"Broken","fields":[{"name":"x"}]}' }),
		422, 42201, 'invalid Avro');
	});
});

describe('@confluentinc/schemaregistry: compatibility', () => {
	const subject = uniq('cf-compat');

	before(async () => {
		await newClient().register(subject, avro(userV1));
	});

	it('updateCompatibility / getCompatibility on the subject', async () => {
		const client = newClient();
		assert.equal(await client.updateCompatibility(subject, Compatibility.BACKWARD), Compatibility.BACKWARD);
		assert.equal(await client.getCompatibility(subject), Compatibility.BACKWARD);
		const config = await client.getConfig(subject);
		assert.equal(config.compatibilityLevel, Compatibility.BACKWARD);
	});

	it('getDefaultCompatibility answers a known level', async () => {
		const level = await newClient().getDefaultCompatibility();
		assert.ok(Object.values(Compatibility).includes(level), `level ${level}`);
	});

	it('a defaulted new field is compatible, a field without default is not', async () => {
		const client = newClient();
		assert.equal(await client.testSubjectCompatibility(subject, avro(userV2)), true);
		assert.equal(await client.testCompatibility(subject, 1, avro(userV2)), true);
		assert.equal(await client.testSubjectCompatibility(subject, avro(userV3)), false);
		assert.equal(await client.testCompatibility(subject, 1, avro(userV3)), false);
	});

	it('registering the incompatible schema is refused with 409', async () => {
		await rejectsRest(newClient().register(subject, avro(userV3)), 409, 409, 'incompatible register');
		assert.deepEqual(await newClient().getAllVersions(subject), [1]);
	});
});

describe('@confluentinc/schemaregistry: deletes', () => {
	const subject = uniq('cf-delete');

	it('deleteSubjectVersion, deleteSubject (soft, then permanent)', async () => {
		const client = newClient();
		const id1 = await client.register(subject, avro(userV1));
		const id2 = await client.register(subject, avro(userV2));
		assert.notEqual(id1, id2);
		assert.deepEqual(await client.getAllVersions(subject), [1, 2]);

		assert.equal(await client.deleteSubjectVersion(subject, 2), 2);
		assert.deepEqual(await newClient().getAllVersions(subject), [1]);
		// A soft-deleted version is still readable with deleted=true.
		const deleted = await newClient().getSchemaMetadata(subject, 2, true);
		assert.equal(deleted.id, id2);

		assert.deepEqual(await client.deleteSubject(subject), [1]);
		await rejectsRest(newClient().getAllVersions(subject), 404, 40401, 'versions of a deleted subject');
		assert.ok(!(await newClient().getAllSubjects()).includes(subject));
		// Permanent delete after the soft one removes every version.
		const removed = await newClient().deleteSubject(subject, true);
		assert.ok(Array.isArray(removed) && removed.includes(1), `removed ${removed}`);
		for (const v of [1, 2]) {
			const r = await raw('GET', `/subjects/${subject}/versions/${v}?deleted=true`);
			assert.equal(r.status, 404, `version ${v} after permanent delete: ${JSON.stringify(r.body)}`);
		}
	});
});

describe('@confluentinc/schemaregistry: Avro serdes', () => {
	it('auto-registers the schema of a record, and the round trip gives the record back', async () => {
		const topic = uniq('cf-serde-auto');
		const client = newClient();
		const ser = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
		const des = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
		const msg = { name: 'Ada', visits: 36, score: 0.5, active: true, tags: ['x', 'y'] };

		const bytes = await ser.serialize(topic, msg);
		assert.ok(Buffer.isBuffer(bytes));
		assert.equal(bytes[0], 0, 'magic byte');
		const id = bytes.readInt32BE(1);

		// The serializer registered under the topic's value subject.
		const latest = await raw('GET', `/subjects/${topic}-value/versions/latest`);
		assert.equal(latest.status, 200, JSON.stringify(latest.body));
		assert.equal(latest.body.id, id);
		assert.equal(latest.body.version, 1);

		assert.deepEqual(plain(await des.deserialize(topic, bytes)), msg);
	});

	it('an auto-registered incompatible change makes serialize fail with the 409', async () => {
		const topic = uniq('cf-serde-409');
		const client = newClient();
		// The level may be set before the subject exists.
		assert.equal(await client.updateCompatibility(`${topic}-value`, Compatibility.BACKWARD),
			Compatibility.BACKWARD);
		const ser = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
		await ser.serialize(topic, { name: 'Ada', visits: 1 });
		// A new field without a default: the reader of v2 cannot read v1 data.
		await rejectsRest(ser.serialize(topic, { name: 'Ada', visits: 1, city: 'London' }),
			409, 409, 'incompatible auto-registration');
		assert.deepEqual(await newClient().getAllVersions(`${topic}-value`), [1]);
	});

	it('guid framing: the schema guid travels in a header and is read back by guid', async () => {
		// Confluent 8 serdes can name the schema by its guid (magic byte 1, in the
		// __value_schema_id header) instead of the 4-byte id prefix; the
		// deserializer then fetches GET /schemas/guids/{guid} (Deserializer.getWriterSchema).
		const topic = uniq('cf-serde-guid');
		const subject = `${topic}-value`;
		const md = await newClient().registerFullResponse(subject, avro(userV1));
		assert.match(md.guid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
			`guid in the register response: ${md.guid}`);

		const ser = new AvroSerializer(newClient(), SerdeType.VALUE, {
			autoRegisterSchemas: false, useLatestVersion: true, schemaIdSerializer: HeaderSchemaIdSerializer,
		});
		const headers = {};
		const msg = { id: 7, name: 'Lin', tags: [] };
		const bytes = await ser.serialize(topic, msg, headers);
		const header = headers[VALUE_SCHEMA_ID_HEADER];
		assert.ok(Buffer.isBuffer(header) && header.length === 17 && header[0] === 1, 'guid header');
		assert.equal(header.subarray(1).toString('hex'), md.guid.replace(/-/g, ''));

		const des = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
		assert.deepEqual(plain(await des.deserialize(topic, bytes, headers)), msg);
	});

	it('schema evolution: v1 data is read as v2 with the default; v2 data round trips', async () => {
		const topic = uniq('cf-serde-evolve');
		const subject = `${topic}-value`;
		const client = newClient();
		const id1 = await client.register(subject, avro(userV1));
		assert.equal(await client.updateCompatibility(subject, Compatibility.BACKWARD), Compatibility.BACKWARD);

		const serV1 = new AvroSerializer(newClient(), SerdeType.VALUE,
			{ autoRegisterSchemas: false, useLatestVersion: true });
		const m1 = { id: 1, name: 'Ada', tags: ['math'] };
		const b1 = await serV1.serialize(topic, m1);
		assert.equal(b1.readInt32BE(1), id1);

		const id2 = await client.register(subject, avro(userV2));
		assert.notEqual(id2, id1);
		const latest = await newClient().getLatestSchemaMetadata(subject);
		assert.equal(latest.version, 2);
		assert.equal(latest.id, id2);

		const serV2 = new AvroSerializer(newClient(), SerdeType.VALUE,
			{ autoRegisterSchemas: false, useLatestVersion: true });
		const m2 = { id: 2, name: 'Grace', tags: [], email: 'grace@example.com' };
		const b2 = await serV2.serialize(topic, m2);
		assert.equal(b2.readInt32BE(1), id2);

		// The writer's schema, as the bytes name it.
		const byWriter = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
		assert.deepEqual(plain(await byWriter.deserialize(topic, b1)), m1);
		assert.deepEqual(plain(await byWriter.deserialize(topic, b2)), m2);

		// The latest schema as reader: v1 data gains the default.
		const reader = new AvroDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true });
		assert.deepEqual(plain(await reader.deserialize(topic, b1)), { ...m1, email: 'unknown' });
		assert.deepEqual(plain(await reader.deserialize(topic, b2)), m2);

		// v3 is refused, and the serializer keeps using v2.
		await rejectsRest(client.register(subject, avro(userV3)), 409, 409, 'incompatible v3');
		assert.deepEqual(await newClient().getAllVersions(subject), [1, 2]);
	});
});
