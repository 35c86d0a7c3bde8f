# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Debian's python3-confluent-kafka (1.7) against the real server.

Two clients ship in that package:
  - confluent_kafka.schema_registry.SchemaRegistryClient, the current REST
    client (its AvroSerializer needs fastavro, which Debian does not package,
    so only the REST client is used from this module);
  - confluent_kafka.avro.CachedSchemaRegistryClient with MessageSerializer,
    the older serde that encodes with python3-avro, used here for the Avro
    wire-format round trip.
run.sh starts the server and exports SR_URL.
"""

import json
import os
import random
import struct

import pytest

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.avro import CachedSchemaRegistryClient, ClientError
from confluent_kafka.avro import loads as avro_loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

SR_URL = os.environ.get("SR_URL")
if not SR_URL:
	raise RuntimeError("SR_URL is not set: run the client tests through tests/clients/run.sh")

_counter = 0


def uniq(prefix):
	"""A subject or topic name no other test uses (the server is shared)."""
	global _counter
	_counter += 1
	return f"{prefix}-py{os.getpid()}-{_counter}-{random.randrange(1 << 30):x}"


V1 = {
	"type": "record",
	"name": "Reading",
	"namespace": "com.example.py",
	"fields": [
		{"name": "sensor", "type": "string"},
		{"name": "value", "type": "double"},
		{"name": "labels", "type": {"type": "map", "values": "string"}},
	],
}
V2 = dict(V1, fields=V1["fields"] + [{"name": "unit", "type": "string", "default": "C"}])
V3 = dict(V2, fields=V2["fields"] + [{"name": "site", "type": "string"}])


def avro(schema):
	return Schema(json.dumps(schema), "AVRO")


@pytest.fixture
def client():
	return SchemaRegistryClient({"url": SR_URL})


# ---- confluent_kafka.schema_registry.SchemaRegistryClient ------------------

def test_register_and_read_back(client):
	subject = uniq("py-rest")
	sid = client.register_schema(subject, avro(V1))
	assert isinstance(sid, int) and sid > 0

	fresh = SchemaRegistryClient({"url": SR_URL})
	assert fresh.register_schema(subject, avro(V1)) == sid
	got = fresh.get_schema(sid)
	assert got.schema_type == "AVRO"
	assert json.loads(got.schema_str) == V1

	latest = fresh.get_latest_version(subject)
	assert (latest.schema_id, latest.subject, latest.version) == (sid, subject, 1)
	assert json.loads(latest.schema.schema_str) == V1
	v1 = fresh.get_version(subject, 1)
	assert (v1.schema_id, v1.version) == (sid, 1)

	found = fresh.lookup_schema(subject, avro(V1))
	assert (found.schema_id, found.version, found.subject) == (sid, 1, subject)
	assert fresh.get_versions(subject) == [1]
	assert subject in fresh.get_subjects()


def test_compatibility_and_409(client):
	subject = uniq("py-compat")
	client.register_schema(subject, avro(V1))
	assert client.set_compatibility(subject_name=subject, level="backward")["compatibility"] == "BACKWARD"
	assert client.get_compatibility(subject) == "BACKWARD"

	assert client.test_compatibility(subject, avro(V2)) is True
	assert client.test_compatibility(subject, avro(V3), version=1) is False

	with pytest.raises(SchemaRegistryError) as e:
		client.register_schema(subject, avro(V3))
	assert (e.value.http_status_code, e.value.error_code) == (409, 409)
	assert client.get_versions(subject) == [1]


def test_errors_carry_confluent_codes(client):
	with pytest.raises(SchemaRegistryError) as e:
		client.get_latest_version(uniq("py-none"))
	assert (e.value.http_status_code, e.value.error_code) == (404, 40401)
	with pytest.raises(SchemaRegistryError) as e:
		client.get_schema(2147483000)
	assert (e.value.http_status_code, e.value.error_code) == (404, 40403)
	with pytest.raises(SchemaRegistryError) as e:
		client.register_schema(uniq("py-bad"), Schema('{"type":"record","name":"X","fields":[{"name":"a"}]}', "AVRO"))
	assert (e.value.http_status_code, e.value.error_code) == (422, 42201)


def test_deletes(client):
	subject = uniq("py-delete")
	client.register_schema(subject, avro(V1))
	client.register_schema(subject, avro(V2))
	assert client.get_versions(subject) == [1, 2]
	assert client.delete_version(subject, 2) == 2
	assert client.get_versions(subject) == [1]
	# permanent=True sends the soft delete, then the hard one.
	assert client.delete_subject(subject, permanent=True) == [1]
	assert subject not in client.get_subjects()
	with pytest.raises(SchemaRegistryError) as e:
		client.get_versions(subject)
	assert (e.value.http_status_code, e.value.error_code) == (404, 40401)


# ---- confluent_kafka.avro: CachedSchemaRegistryClient + MessageSerializer ----

def test_avro_serde_round_trip_and_evolution():
	topic = uniq("py-serde")
	subject = f"{topic}-value"
	registry = CachedSchemaRegistryClient({"url": SR_URL})
	serializer = MessageSerializer(registry)
	v1 = avro_loads(json.dumps(V1))
	record = {"sensor": "t1", "value": 21.5, "labels": {"room": "lab"}}

	encoded = serializer.encode_record_with_schema(topic, v1, record)
	magic, sid = struct.unpack(">bI", encoded[:5])
	assert magic == 0
	assert registry.get_latest_schema(subject)[0] == sid

	# A client with empty caches decodes from the server's copy of the schema.
	fresh = CachedSchemaRegistryClient({"url": SR_URL})
	assert MessageSerializer(fresh).decode_message(encoded) == record
	sid_again, schema_again, version = fresh.get_latest_schema(subject)
	assert (sid_again, version) == (sid, 1)
	assert json.loads(str(schema_again)) == V1
	assert fresh.get_version(subject, avro_loads(json.dumps(V1))) == 1

	# Evolution: v2 adds a defaulted field under BACKWARD; a v2 reader sees it.
	assert registry.update_compatibility("BACKWARD", subject) == "BACKWARD"
	assert registry.get_compatibility(subject) == "BACKWARD"
	v2 = avro_loads(json.dumps(V2))
	assert registry.test_compatibility(subject, v2) is True
	sid2 = registry.register(subject, v2)
	assert sid2 != sid
	reader = MessageSerializer(CachedSchemaRegistryClient({"url": SR_URL}), reader_value_schema=v2)
	assert reader.decode_message(encoded) == dict(record, unit="C")
	record2 = {"sensor": "t2", "value": 3.0, "labels": {}, "unit": "K"}
	assert MessageSerializer(fresh).decode_message(serializer.encode_record_with_schema(topic, v2, record2)) == record2

	# An incompatible v3 is refused, and the client says so.
	v3 = avro_loads(json.dumps(V3))
	assert registry.test_compatibility(subject, v3) is False
	with pytest.raises(ClientError, match="Incompatible Avro schema:409"):
		serializer.encode_record_with_schema(topic, v3, dict(record2, site="x"))
	assert registry.get_latest_schema(subject)[2] == 2
