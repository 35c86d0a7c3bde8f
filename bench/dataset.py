#!/usr/bin/python3
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Benchmark data set: register realistic Avro records, then write what the
load scripts and the static-file peer need.

    dataset.py register BASE_URL OUT_DIR [COUNT]
        Registers COUNT (default 1000) distinct Avro records, each under its
        own subject, then fetches GET /schemas/ids/{id} and
        GET /subjects/{s}/versions/latest for every one of them and writes:
          OUT_DIR/www/<url path>     the exact response bodies (for nginx)
          OUT_DIR/paths-ids.txt      one /schemas/ids/{id} path per line
          OUT_DIR/paths-latest.txt   one /subjects/{s}/versions/latest per line
          OUT_DIR/reregister.txt     "subject<TAB>request body" per line, the
                                     schema text exactly as registered
          OUT_DIR/reregister-pretty.txt  the same schemas pretty-printed (as
                                     an .avsc file is), same identity
          OUT_DIR/content-type.txt   the Content-Type our server answered
          OUT_DIR/summary.txt        one line describing the data set
    dataset.py verify BASE_URL OUT_DIR
        Fetches every path from BASE_URL (the peer) and checks status 200,
        the body byte for byte and the Content-Type against what was saved.

The records are deterministic (seeded), with 5-30 fields each drawn from
the kinds real event schemas use: primitives, nullable unions with
defaults, enums, arrays, maps, nested records, logical types and docs.
"""
import http.client
import json
import os
import random
import sys
import urllib.parse

CT = "application/vnd.schemaregistry.v1+json"

DOMAINS = ["orders", "payments", "inventory", "shipping", "customers", "billing",
           "catalog", "search", "llm", "auth", "notifications", "analytics"]
ENTITIES = ["Order", "Payment", "Refund", "Shipment", "Customer", "Invoice",
            "Product", "Query", "Completion", "Session", "Message", "PageView",
            "Cart", "Review", "Subscription", "Prompt"]
WORDS = ["id", "account", "user", "tenant", "region", "country", "currency",
         "amount", "price", "quantity", "status", "reason", "source", "channel",
         "created", "updated", "expires", "model", "tokens", "latency", "score",
         "label", "category", "tags", "attributes", "notes", "email", "phone",
         "address", "city", "postal", "sku", "version", "trace", "span", "device",
         "browser", "locale", "timezone", "flag", "count", "total", "discount",
         "tax", "weight", "height", "width", "depth", "rating", "comment"]
SUFFIXES = ["", "_id", "_code", "_at", "_ms", "_name", "_type", "_count", "_ref"]


def field_name(rng, used):
    while True:
        n = rng.choice(WORDS) + rng.choice(SUFFIXES)
        if rng.random() < 0.3:
            n = rng.choice(WORDS) + "_" + n
        if n not in used:
            used.add(n)
            return n


def field_type(rng, owner, k, depth):
    r = rng.random()
    if r < 0.22:
        return "string", None
    if r < 0.32:
        return "long", None
    if r < 0.40:
        return "int", None
    if r < 0.46:
        return "double", None
    if r < 0.50:
        return "boolean", None
    if r < 0.53:
        return "bytes", None
    if r < 0.58:
        return {"type": "long", "logicalType": "timestamp-millis"}, None
    if r < 0.61:
        return {"type": "string", "logicalType": "uuid"}, None
    if r < 0.63:
        return {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 4}, None
    if r < 0.78:
        inner, _ = field_type(rng, owner, k, depth + 1)
        if isinstance(inner, list):
            inner = "string"
        return ["null", inner], None  # default null, set by the caller
    if r < 0.84:
        syms = rng.sample(["ACTIVE", "PENDING", "FAILED", "DONE", "CANCELLED",
                   "UNKNOWN", "RETRY", "HELD", "OPEN", "CLOSED"], rng.randint(2, 7))
        return {"type": "enum", "name": "%sKind%d" % (owner, k), "symbols": syms}, None
    if r < 0.90:
        return {"type": "array", "items": rng.choice(["string", "long", "double"])}, None
    if r < 0.94:
        return {"type": "map", "values": rng.choice(["string", "long"])}, None
    if depth == 0:
        sub = "%sPart%d" % (owner, k)
        used = set()
        fields = []
        for j in range(rng.randint(2, 5)):
            t, _ = field_type(rng, sub, j, 1)
            f = {"name": field_name(rng, used), "type": t}
            if isinstance(t, list):
                f["default"] = None
            fields.append(f)
        return {"type": "record", "name": sub, "fields": fields}, None
    return "string", None


def make_schema(rng, i):
    domain = DOMAINS[i % len(DOMAINS)]
    entity = ENTITIES[(i // len(DOMAINS)) % len(ENTITIES)]
    name = "%s%d" % (entity, i)
    used = set()
    fields = [{"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
          {"name": "occurred_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}]
    used.update(("event_id", "occurred_at"))
    for k in range(rng.randint(5, 30) - len(fields)):
        t, _ = field_type(rng, name, k, 0)
        f = {"name": field_name(rng, used), "type": t}
        if rng.random() < 0.25:
            f["doc"] = "The %s of the %s." % (f["name"].replace("_", " "), entity.lower())
        if isinstance(t, list):
            f["default"] = None
        fields.append(f)
    schema = {"type": "record", "name": name, "namespace": "com.example.%s" % domain,
          "doc": "%s event #%d." % (entity, i), "fields": fields}
    subject = "%s.%s-%04d-value" % (domain, entity.lower(), i)
    return subject, json.dumps(schema, separators=(",", ":"))


class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def call(self, method, path, body=None):
        headers = {"Accept": CT}
        if body is not None:
            headers["Content-Type"] = CT
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read()


def quote(s):
    return urllib.parse.quote(s, safe="")


def cmd_register(base, out, count):
    rng = random.Random(20261128)
    c = Client(base)
    ids, latest, rereg, pretty, texts = [], [], [], [], []
    for i in range(count):
        subject, text = make_schema(rng, i)
        body = json.dumps({"schema": text}, separators=(",", ":"))
        st, _, resp = c.call("POST", "/subjects/%s/versions" % quote(subject), body)
        if st != 200:
            sys.exit("dataset: registering %s: HTTP %d %s" % (subject, st, resp[:300]))
        ids.append("/schemas/ids/%d" % json.loads(resp)["id"])
        latest.append("/subjects/%s/versions/latest" % quote(subject))
        texts.append(text)
        rereg.append("%s\t%s" % (quote(subject), body))
        pretty.append("%s\t%s" % (quote(subject), json.dumps(
            {"schema": json.dumps(json.loads(text), indent=2)}, separators=(",", ":"))))
    ctype = None
    for path, text in list(zip(ids, texts)) + list(zip(latest, texts)):
        st, ct, resp = c.call("GET", path)
        if st != 200:
            sys.exit("dataset: GET %s: HTTP %d" % (path, st))
        if ctype is None:
            ctype = ct
        elif ct != ctype:
            sys.exit("dataset: GET %s: Content-Type %s, others %s" % (path, ct, ctype))
        # The generator writes keys in the order of Avro's Schema.toString(),
        # which is the registry's stored form: reregister.txt sends the
        # stored bytes, reregister-pretty.txt other bytes for the same schema.
        if json.loads(resp)["schema"] != text:
            sys.exit("dataset: %s stores another text than was sent" % path)
        f = os.path.join(out, "www", path.lstrip("/"))
        os.makedirs(os.path.dirname(f), exist_ok=True)
        with open(f, "wb") as fh:
            fh.write(resp)
    for name, lines in (("paths-ids.txt", ids), ("paths-latest.txt", latest),
                        ("reregister.txt", rereg), ("reregister-pretty.txt", pretty),
                        ("content-type.txt", [ctype])):
        with open(os.path.join(out, name), "w") as fh:
            fh.write("\n".join(lines) + "\n")
    sizes = [os.path.getsize(os.path.join(out, "www", p.lstrip("/"))) for p in ids]
    nfields = [len(json.loads(t)["fields"]) for t in texts]
    summary = ("%d Avro records under %d subjects, %d-%d top-level fields, "
               "GET /schemas/ids bodies %d-%d bytes (mean %d)" %
               (len(ids), len(latest), min(nfields), max(nfields), min(sizes),
                max(sizes), sum(sizes) // len(sizes)))
    with open(os.path.join(out, "summary.txt"), "w") as fh:
        fh.write(summary + "\n")
    print("dataset: " + summary)


def cmd_verify(base, out):
    c = Client(base)
    with open(os.path.join(out, "content-type.txt")) as fh:
        ctype = fh.read().strip()
    n = 0
    for name in ("paths-ids.txt", "paths-latest.txt"):
        with open(os.path.join(out, name)) as fh:
            for path in fh.read().split():
                st, ct, resp = c.call("GET", path)
                with open(os.path.join(out, "www", path.lstrip("/")), "rb") as want:
                    if st != 200 or ct != ctype or resp != want.read():
                        sys.exit("dataset: %s%s differs (HTTP %d, %s)" % (base, path, st, ct))
                n += 1
    print("dataset: %s serves the same %d bodies with Content-Type %s" % (base, n, ctype))


def main(argv):
    if len(argv) >= 4 and argv[1] == "register":
        cmd_register(argv[2], argv[3], int(argv[4]) if len(argv) > 4 else 1000)
    elif len(argv) == 4 and argv[1] == "verify":
        cmd_verify(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
