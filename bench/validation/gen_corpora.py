#!/usr/bin/python3
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
"""Write the validation benchmark's corpora (fixed seed, reproducible).

    /usr/bin/python3 bench/validation/gen_corpora.py [OUT_DIR] [DOCS]

OUT_DIR defaults to bench/validation/corpora, DOCS (per class) to 200.
Each corpus is a directory with

    schema.json     the schema
    valid.jsonl     documents the schema accepts, one compact JSON per line
    invalid.jsonl   documents with one or two mistakes a model makes
    mistakes.tsv    line number of invalid.jsonl, then what is wrong with it

The corpora:

    tool-call   a "book_flight" function-calling tool: 22 properties,
                enums, nested objects, arrays of objects (draft-07)
    extraction  structured output of an entity/relation extraction:
                $defs/$ref, an anyOf union of six entity kinds (2020-12)
    large       a customer record with 240 properties (2020-12)

The mistakes are the ones models make in tool calls and structured output:
a wrong type (a number or boolean sent as a string, a scalar where an array
is wanted), a missing required property, an extra (invented) property, a
value outside an enum (wrong case, a synonym), and for some documents a
malformed date or code. Each invalid document has one or two of them,
at the top level or nested. run.sh checks that both validators agree with
the file names (every valid.jsonl line valid, every invalid.jsonl line not).
"""

import copy
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))

FIRST = ["Ana", "Bram", "Chen", "Dalia", "Emeka", "Freya", "Goran", "Hana", "Ilse", "Jonas",
         "Keiko", "Luis", "Maya", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
         "Ursula", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Élodie", "Søren", "Zoë", "José"]
LAST = ["Almeida", "Becker", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Haddad",
        "Ivanova", "Jansen", "Kowalski", "Larsen", "Müller", "Nakamura", "O'Brien", "Petrov",
        "Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Visser", "Wójcik", "Xu", "Yilmaz",
        "Zhang", "Okafor", "Nguyen", "Hernández", "Lindqvist"]
AIRPORTS = ["JFK", "LHR", "CDG", "FRA", "AMS", "SFO", "LAX", "ORD", "NRT", "HND", "SIN", "DXB",
            "MAD", "BCN", "FCO", "ZRH", "VIE", "CPH", "ARN", "OSL", "HEL", "DUB", "YYZ", "SYD",
            "GRU", "MEX", "BOS", "SEA", "ATL", "MUC"]
AIRLINES = ["BA", "AF", "LH", "KL", "UA", "DL", "AA", "NH", "JL", "SQ", "EK", "IB", "AZ", "LX",
            "OS", "SK", "AY", "EI", "AC", "QF", "LA", "AM", "B6", "9W", "U2"]
COUNTRIES = ["US", "GB", "FR", "DE", "NL", "JP", "SG", "AE", "ES", "IT", "CH", "AT", "DK", "SE",
             "NO", "FI", "IE", "CA", "AU", "BR", "MX", "IN", "NG", "PL", "TR", "CN", "KR", "PT"]
CITIES = ["Lisbon", "Berlin", "Osaka", "Lagos", "Toronto", "Melbourne", "São Paulo", "Kraków",
          "Istanbul", "Seoul", "Chennai", "Rotterdam", "Zürich", "Göteborg", "Valencia"]
WORDS = ("the of and to in a for on with as by at from that this is be it are was or an "
         "customer order invoice shipment contract meeting budget report quarter growth "
         "revenue product launch team partner market region delivery review risk plan "
         "agreement schedule support request update account renewal pricing forecast").split()


def sentence(rng, lo, hi):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return (" ".join(words)).capitalize() + "."


def date(rng, y0=2024, y1=2026):
    return "%04d-%02d-%02d" % (rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


def datetime_(rng):
    return "%sT%02d:%02d:%02dZ" % (date(rng), rng.randint(0, 23), rng.randint(0, 59),
                                  rng.randint(0, 59))


def uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[rng.randint(0, 3)],
                                  h[17:20], h[20:32])


def email(rng, first, last):
    local = "%s.%s" % (first, last)
    local = "".join(c for c in local.lower() if c.isascii() and (c.isalnum() or c == "."))
    return "%s@%s" % (local, rng.choice(["example.com", "mail.example.org", "corp.example.net"]))


def phone(rng):
    return "+%d%d" % (rng.randint(1, 9), rng.randint(10 ** 8, 10 ** 11))


def name(rng):
    return rng.choice(FIRST), rng.choice(LAST)


# ---- mistakes ------------------------------------------------------------------


def wrong_type(value, rng):
    """The value a model sends when it gets the type wrong."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if rng.random() < 0.5:
            return [value]
        return None
    if isinstance(value, list):
        # a single item where a list is wanted, or the list as one string
        return value[0] if value else ""
    if isinstance(value, dict):
        return json.dumps(value)
    return "null"


def bad_enum(value, enum, rng):
    """An out-of-enum value: other case, spaces for underscores, a synonym."""
    cands = []
    if isinstance(value, str):
        cands += [value.upper(), value.capitalize(), value.replace("_", " "),
                  value.replace("_", "-")]
    cands += ["other", "Other", "unknown", "n/a", "default"]
    cands = [c for c in cands if c not in enum and c != value]
    return rng.choice(cands)


class Spot:
    """A place in a document where a mistake can be made."""

    def __init__(self, container, key, kind, enum=None, required=False):
        self.container, self.key, self.kind = container, key, kind
        self.enum, self.required = enum, required


def apply_mistake(doc, spots, kind, rng, extra_names, touched):
    """Make one mistake of `kind` at one of `spots` not `touched` yet;
    returns its description or None."""
    cands = [s for s in spots if kind in s.kind and s.where not in touched]
    if not cands:
        return None
    s = rng.choice(cands)
    c, k = s.container, s.key
    where = s.where
    touched.add(where)
    if kind == "type":
        c[k] = wrong_type(c[k], rng)
        return "wrong type at %s" % where
    if kind == "enum":
        c[k] = bad_enum(c[k], s.enum, rng)
        return "value outside the enum at %s: %s" % (where, json.dumps(c[k], ensure_ascii=False))
    if kind == "missing":
        del c[k]
        return "missing required %s" % where
    if kind == "extra":
        obj = c[k]
        free = [n for n in extra_names if n not in obj]
        n = rng.choice(free)
        obj[n] = rng.choice([True, "yes", 1, "see notes", {"value": 1}, None])
        return "extra property %s/%s" % (where.rstrip("/"), n)
    if kind == "format":
        v = c[k]
        if not isinstance(v, str):
            return None
        if len(v) == 10 and v[4] == "-":  # a date: US order or with slashes
            c[k] = rng.choice(["%s/%s/%s" % (v[5:7], v[8:10], v[:4]), v.replace("-", "/"),
                               v[:8] + "32"])
        elif len(v) == 3 and v.isupper():  # an airport or currency code
            c[k] = rng.choice([v.lower(), v + "X", v[:2]])
        elif "@" in v:
            c[k] = v.replace("@", " at ")
        else:
            c[k] = v[:-1] + " "
        return "malformed value at %s: %s" % (where, json.dumps(c[k], ensure_ascii=False))
    raise ValueError(kind)


def make_invalid(doc, collect_spots, rng, extra_names, kinds):
    """One or two mistakes (a third of the documents get two)."""
    doc = copy.deepcopy(doc)
    notes = []
    touched = set()
    for _ in range(2 if rng.random() < 0.33 else 1):
        spots = collect_spots(doc)
        for _try in range(20):
            note = apply_mistake(doc, spots, rng.choice(kinds), rng, extra_names, touched)
            if note:
                notes.append(note)
                break
    return doc, "; ".join(notes)


def spots_walk(doc, schema_of, where=""):
    """Spots of every property of `doc`, driven by `schema_of(path)`: a
    function returning (kinds per key) for an object at a path."""
    out = []

    def walk(obj, path):
        if isinstance(obj, dict):
            info = schema_of(path, obj)
            if info is None:
                return
            for k, (kinds, enum, req) in info.items():
                if k in obj:
                    sp = Spot(obj, k, kinds, enum, req)
                    sp.where = path + "/" + k
                    out.append(sp)
            sp = Spot(obj, None, "extra")
            sp.where = path + "/"
            sp.container = obj
            sp.key = None
            out.append(sp)
            for k, v in obj.items():
                if isinstance(v, (dict, list)):
                    walk(v, path + "/" + k)
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                if isinstance(v, (dict, list)):
                    walk(v, path + "/" + str(i))

    walk(doc, where)
    # "extra" spots use the object itself: apply_mistake reads c[k] with k None.
    for s in out:
        if s.key is None:
            obj = s.container
            s.container = {None: obj}
    return out


def props_info(schema_obj):
    """kinds/enum/required for each property of an object schema."""
    info = {}
    req = set(schema_obj.get("required", []))
    for k, p in schema_obj.get("properties", {}).items():
        kinds = ["type"]
        enum = p.get("enum")
        if enum:
            kinds.append("enum")
        if k in req:
            kinds.append("missing")
        if p.get("format") in ("date", "email") or p.get("pattern") in (
                "^[A-Z]{3}$",):
            kinds.append("format")
        info[k] = (kinds, enum, k in req)
    return info


# ---- (a) tool call: book_flight ----------------------------------------------------


def tool_call_schema():
    iata = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "IATA airport code"}
    day = {"type": "string", "format": "date"}
    hhmm = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    traveler = {
        "type": "object",
        "properties": {
            "first_name": {"type": "string", "minLength": 1, "maxLength": 60},
            "last_name": {"type": "string", "minLength": 1, "maxLength": 60},
            "date_of_birth": day,
            "gender": {"type": "string", "enum": ["female", "male", "unspecified"]},
            "traveler_type": {"type": "string", "enum": ["adult", "child", "infant"]},
            "passport": {
                "type": "object",
                "properties": {
                    "number": {"type": "string", "pattern": "^[A-Z0-9]{6,9}$"},
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "expiry": day,
                },
                "required": ["number", "country", "expiry"],
                "additionalProperties": False,
            },
            "loyalty": {
                "type": "object",
                "properties": {
                    "airline": {"type": "string", "pattern": "^[A-Z0-9]{2}$"},
                    "number": {"type": "string", "minLength": 4, "maxLength": 20},
                },
                "required": ["airline", "number"],
                "additionalProperties": False,
            },
        },
        "required": ["first_name", "last_name", "date_of_birth", "traveler_type"],
        "additionalProperties": False,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "book_flight",
        "description": "Search and book a flight for one or more travelers.",
        "type": "object",
        "properties": {
            "origin": iata,
            "destination": iata,
            "departure_date": day,
            "return_date": day,
            "trip_type": {"type": "string", "enum": ["one_way", "round_trip", "multi_city"]},
            "cabin_class": {"type": "string",
                            "enum": ["economy", "premium_economy", "business", "first"]},
            "passengers": {
                "type": "object",
                "properties": {
                    "adults": {"type": "integer", "minimum": 1, "maximum": 9},
                    "children": {"type": "integer", "minimum": 0, "maximum": 8},
                    "infants": {"type": "integer", "minimum": 0, "maximum": 4},
                },
                "required": ["adults"],
                "additionalProperties": False,
            },
            "travelers": {"type": "array", "items": traveler, "minItems": 1, "maxItems": 9},
            "contact": {
                "type": "object",
                "properties": {
                    "email": {"type": "string", "format": "email"},
                    "phone": {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"},
                },
                "required": ["email"],
                "additionalProperties": False,
            },
            "max_price": {"type": "number", "exclusiveMinimum": 0},
            "currency": {"type": "string",
                         "enum": ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SGD"]},
            "nonstop_only": {"type": "boolean"},
            "max_stops": {"type": "integer", "minimum": 0, "maximum": 3},
            "preferred_airlines": {"type": "array", "uniqueItems": True, "maxItems": 5,
                                   "items": {"type": "string", "pattern": "^[A-Z0-9]{2}$"}},
            "departure_time_window": {
                "type": "object",
                "properties": {"earliest": hhmm, "latest": hhmm},
                "additionalProperties": False,
            },
            "seat_preference": {"type": "string", "enum": ["aisle", "window", "middle", "none"]},
            "meal_preference": {"type": "string",
                                "enum": ["standard", "vegetarian", "vegan", "halal", "kosher",
                                         "gluten_free", "none"]},
            "baggage": {
                "type": "object",
                "properties": {
                    "checked_bags": {"type": "integer", "minimum": 0, "maximum": 5},
                    "carry_on": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
            "flexible_dates": {"type": "boolean"},
            "payment_method": {"type": "string", "enum": ["card", "invoice", "points"]},
            "special_assistance": {
                "type": "array", "uniqueItems": True,
                "items": {"type": "string",
                          "enum": ["wheelchair", "visual", "hearing", "unaccompanied_minor",
                                   "service_animal"]},
            },
            "notes": {"type": "string", "maxLength": 500},
        },
        "required": ["origin", "destination", "departure_date", "trip_type", "cabin_class",
                     "passengers", "travelers", "contact"],
        "additionalProperties": False,
    }


def tool_call_doc(rng):
    o, d = rng.sample(AIRPORTS, 2)
    trip = rng.choice(["one_way", "round_trip", "round_trip", "multi_city"])
    adults = rng.randint(1, 4)
    children = rng.choice([0, 0, 0, 1, 2])
    infants = rng.choice([0, 0, 0, 0, 1])
    doc = {
        "origin": o,
        "destination": d,
        "departure_date": date(rng, 2025, 2026),
    }
    if trip == "round_trip":
        doc["return_date"] = date(rng, 2026, 2026)
    doc["trip_type"] = trip
    doc["cabin_class"] = rng.choice(["economy", "economy", "premium_economy", "business",
                                     "first"])
    pax = {"adults": adults}
    if children or rng.random() < 0.3:
        pax["children"] = children
    if infants:
        pax["infants"] = infants
    doc["passengers"] = pax
    travelers = []
    kinds = ["adult"] * adults + ["child"] * children + ["infant"] * infants
    for kind in kinds:
        f, lname = name(rng)
        t = {"first_name": f, "last_name": lname,
             "date_of_birth": date(rng, 1950, 2004) if kind == "adult" else date(rng, 2012, 2025),
             "traveler_type": kind}
        if rng.random() < 0.7:
            t["gender"] = rng.choice(["female", "male", "unspecified"])
        if rng.random() < 0.5:
            t["passport"] = {"number": "%s%07d" % (rng.choice("ABCXYZ"), rng.randint(0, 9999999)),
                             "country": rng.choice(COUNTRIES), "expiry": date(rng, 2027, 2034)}
        if kind == "adult" and rng.random() < 0.4:
            t["loyalty"] = {"airline": rng.choice(AIRLINES),
                            "number": str(rng.randint(10 ** 7, 10 ** 10))}
        travelers.append(t)
    doc["travelers"] = travelers
    f, lname = travelers[0]["first_name"], travelers[0]["last_name"]
    contact = {"email": email(rng, f, lname)}
    if rng.random() < 0.7:
        contact["phone"] = phone(rng)
    doc["contact"] = contact
    optional = [
        ("max_price", lambda: rng.choice([rng.randint(150, 4000), round(rng.uniform(99, 3500), 2)])),
        ("currency", lambda: rng.choice(["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SGD"])),
        ("nonstop_only", lambda: rng.random() < 0.5),
        ("max_stops", lambda: rng.randint(0, 2)),
        ("preferred_airlines", lambda: rng.sample(AIRLINES, rng.randint(1, 3))),
        ("departure_time_window", lambda: {"earliest": "%02d:00" % rng.randint(5, 11),
                                           "latest": "%02d:30" % rng.randint(12, 22)}),
        ("seat_preference", lambda: rng.choice(["aisle", "window", "middle", "none"])),
        ("meal_preference", lambda: rng.choice(["standard", "vegetarian", "vegan", "halal",
                                                "kosher", "gluten_free", "none"])),
        ("baggage", lambda: {"checked_bags": rng.randint(0, 3), "carry_on": rng.random() < 0.8}),
        ("flexible_dates", lambda: rng.random() < 0.5),
        ("payment_method", lambda: rng.choice(["card", "invoice", "points"])),
        ("special_assistance", lambda: rng.sample(["wheelchair", "visual", "hearing"],
                                                  rng.randint(1, 2))),
        ("notes", lambda: sentence(rng, 5, 25)),
    ]
    for key, fn in optional:
        if rng.random() < (0.15 if key == "special_assistance" else 0.55):
            doc[key] = fn()
    return doc


TOOL_EXTRA = ["airline", "price", "flight_number", "direct", "budget", "class", "date",
              "passenger_count", "confirm", "return_flight", "seat", "user_id"]


def tool_call_spots(schema):
    t = schema["properties"]["travelers"]["items"]
    by_path = {
        "": props_info(schema),
        "passengers": props_info(schema["properties"]["passengers"]),
        "contact": props_info(schema["properties"]["contact"]),
        "baggage": props_info(schema["properties"]["baggage"]),
        "departure_time_window": props_info(schema["properties"]["departure_time_window"]),
        "traveler": props_info(t),
        "passport": props_info(t["properties"]["passport"]),
        "loyalty": props_info(t["properties"]["loyalty"]),
    }

    def schema_of(path, obj):
        parts = path.split("/")[1:]
        if not parts:
            return by_path[""]
        if parts[0] == "travelers":
            if len(parts) == 2:
                return by_path["traveler"]
            return by_path.get(parts[-1])
        return by_path.get(parts[0]) if len(parts) == 1 else None

    return lambda doc: spots_walk(doc, schema_of)


# ---- (b) structured output: entity and relation extraction ---------------------------


def extraction_schema():
    def kind(k):
        return {"const": k}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://schemas.example.com/extraction/result.json",
        "title": "ExtractionResult",
        "type": "object",
        "$defs": {
            "span": {
                "type": "object",
                "properties": {
                    "start": {"type": "integer", "minimum": 0},
                    "end": {"type": "integer", "minimum": 0},
                    "text": {"type": "string", "minLength": 1},
                },
                "required": ["start", "end", "text"],
                "additionalProperties": False,
            },
            "mentions": {"type": "array", "items": {"$ref": "#/$defs/span"}, "minItems": 1},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "money_value": {
                "type": "object",
                "properties": {
                    "amount": {"type": "number"},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                },
                "required": ["amount", "currency"],
                "additionalProperties": False,
            },
            "person": {
                "type": "object",
                "properties": {
                    "kind": kind("person"),
                    "name": {"type": "string", "minLength": 1},
                    "role": {"type": "string"},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                    "mentions": {"$ref": "#/$defs/mentions"},
                },
                "required": ["kind", "name", "mentions"],
                "additionalProperties": False,
            },
            "organization": {
                "type": "object",
                "properties": {
                    "kind": kind("organization"),
                    "name": {"type": "string", "minLength": 1},
                    "org_type": {"enum": ["company", "government", "nonprofit", "university",
                                          "other"]},
                    "country": {"$ref": "#/$defs/country"},
                    "mentions": {"$ref": "#/$defs/mentions"},
                },
                "required": ["kind", "name", "org_type", "mentions"],
                "additionalProperties": False,
            },
            "location": {
                "type": "object",
                "properties": {
                    "kind": kind("location"),
                    "name": {"type": "string", "minLength": 1},
                    "country": {"$ref": "#/$defs/country"},
                    "geo": {
                        "type": "object",
                        "properties": {
                            "lat": {"type": "number", "minimum": -90, "maximum": 90},
                            "lon": {"type": "number", "minimum": -180, "maximum": 180},
                        },
                        "required": ["lat", "lon"],
                        "additionalProperties": False,
                    },
                    "mentions": {"$ref": "#/$defs/mentions"},
                },
                "required": ["kind", "name", "mentions"],
                "additionalProperties": False,
            },
            "date": {
                "type": "object",
                "properties": {
                    "kind": kind("date"),
                    "value": {"type": "string", "format": "date"},
                    "precision": {"enum": ["day", "month", "year"]},
                    "mentions": {"$ref": "#/$defs/mentions"},
                },
                "required": ["kind", "value", "precision", "mentions"],
                "additionalProperties": False,
            },
            "money": {
                "type": "object",
                "properties": {
                    "kind": kind("money"),
                    "value": {"$ref": "#/$defs/money_value"},
                    "mentions": {"$ref": "#/$defs/mentions"},
                },
                "required": ["kind", "value", "mentions"],
                "additionalProperties": False,
            },
            "product": {
                "type": "object",
                "properties": {
                    "kind": kind("product"),
                    "name": {"type": "string", "minLength": 1},
                    "sku": {"type": "string", "pattern": "^[A-Z0-9-]{4,20}$"},
                    "price": {"$ref": "#/$defs/money_value"},
                    "mentions": {"$ref": "#/$defs/mentions"},
                },
                "required": ["kind", "name", "mentions"],
                "additionalProperties": False,
            },
            "entity": {
                "anyOf": [{"$ref": "#/$defs/person"}, {"$ref": "#/$defs/organization"},
                          {"$ref": "#/$defs/location"}, {"$ref": "#/$defs/date"},
                          {"$ref": "#/$defs/money"}, {"$ref": "#/$defs/product"}],
            },
            "relation": {
                "type": "object",
                "properties": {
                    "subject": {"type": "integer", "minimum": 0},
                    "predicate": {"enum": ["works_for", "located_in", "acquired", "founded",
                                           "owns", "sells", "dated", "paid"]},
                    "object": {"type": "integer", "minimum": 0},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                },
                "required": ["subject", "predicate", "object"],
                "additionalProperties": False,
            },
            "sentiment": {
                "type": "object",
                "properties": {
                    "label": {"enum": ["positive", "neutral", "negative", "mixed"]},
                    "score": {"type": "number", "minimum": -1, "maximum": 1},
                },
                "required": ["label", "score"],
                "additionalProperties": False,
            },
        },
        "properties": {
            "document_id": {"type": "string", "format": "uuid"},
            "language": {"enum": ["en", "de", "fr", "es", "it", "pt", "nl", "ja", "zh"]},
            "summary": {"type": "string", "maxLength": 1000},
            "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
            "relations": {"type": "array", "items": {"$ref": "#/$defs/relation"}},
            "sentiment": {"anyOf": [{"$ref": "#/$defs/sentiment"}, {"type": "null"}]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "required": ["document_id", "language", "entities", "relations", "sentiment"],
        "additionalProperties": False,
    }


ORGS = ["Acme Logistics", "Northwind Traders", "Globex", "Initech", "Umbrella Foods",
        "Stark Mobility", "Wayne Analytics", "Tyrell Robotics", "Soylent Grid", "Hooli"]
PRODUCTS = ["Model X200 router", "Aurora desk lamp", "FleetView licence", "Nimbus drone",
            "Quartz watch", "Helix bike", "Orbit headset", "Cedar chair"]


def extraction_doc(rng):
    pos = [0]

    def mentions(text):
        out = []
        for _ in range(rng.randint(1, 3)):
            start = pos[0] + rng.randint(0, 40)
            out.append({"start": start, "end": start + len(text), "text": text})
            pos[0] = start + len(text)
        return out

    ents = []
    for _ in range(rng.randint(3, 12)):
        k = rng.choice(["person", "person", "organization", "organization", "location", "date",
                        "money", "product"])
        if k == "person":
            f, lname = name(rng)
            e = {"kind": k, "name": "%s %s" % (f, lname)}
            if rng.random() < 0.6:
                e["role"] = rng.choice(["CEO", "analyst", "spokesperson", "engineer", "founder"])
            if rng.random() < 0.3:
                e["aliases"] = [lname, f[0] + ". " + lname]
            e["mentions"] = mentions(e["name"])
        elif k == "organization":
            e = {"kind": k, "name": rng.choice(ORGS),
                 "org_type": rng.choice(["company", "company", "government", "nonprofit",
                                         "university"])}
            if rng.random() < 0.6:
                e["country"] = rng.choice(COUNTRIES)
            e["mentions"] = mentions(e["name"])
        elif k == "location":
            e = {"kind": k, "name": rng.choice(CITIES), "country": rng.choice(COUNTRIES)}
            if rng.random() < 0.5:
                e["geo"] = {"lat": round(rng.uniform(-60, 70), 4),
                            "lon": round(rng.uniform(-170, 170), 4)}
            e["mentions"] = mentions(e["name"])
        elif k == "date":
            e = {"kind": k, "value": date(rng, 2019, 2026),
                 "precision": rng.choice(["day", "day", "month", "year"])}
            e["mentions"] = mentions(e["value"])
        elif k == "money":
            e = {"kind": k, "value": {"amount": round(rng.uniform(10, 5e6), 2),
                                      "currency": rng.choice(["USD", "EUR", "GBP", "JPY"])}}
            e["mentions"] = mentions("%s %s" % (e["value"]["amount"], e["value"]["currency"]))
        else:
            e = {"kind": k, "name": rng.choice(PRODUCTS)}
            if rng.random() < 0.5:
                e["sku"] = "%s-%04d" % (rng.choice(["AX", "QZ", "NB", "HL"]), rng.randint(0, 9999))
            if rng.random() < 0.5:
                e["price"] = {"amount": round(rng.uniform(5, 2000), 2),
                              "currency": rng.choice(["USD", "EUR"])}
            e["mentions"] = mentions(e["name"])
        ents.append(e)
    rels = []
    for _ in range(rng.randint(0, min(6, len(ents)))):
        r = {"subject": rng.randrange(len(ents)),
             "predicate": rng.choice(["works_for", "located_in", "acquired", "founded", "owns",
                                      "sells", "dated", "paid"]),
             "object": rng.randrange(len(ents))}
        if rng.random() < 0.7:
            r["confidence"] = round(rng.random(), 3)
        rels.append(r)
    doc = {"document_id": uuid(rng),
           "language": rng.choice(["en", "en", "en", "de", "fr", "es", "ja"])}
    if rng.random() < 0.8:
        doc["summary"] = sentence(rng, 12, 40)
    doc["entities"] = ents
    doc["relations"] = rels
    doc["sentiment"] = (None if rng.random() < 0.25 else
                        {"label": rng.choice(["positive", "neutral", "negative", "mixed"]),
                         "score": round(rng.uniform(-1, 1), 3)})
    if rng.random() < 0.7:
        doc["confidence"] = round(rng.uniform(0.5, 1), 3)
    return doc


EXTRACTION_EXTRA = ["type", "entity_type", "id", "score", "label", "source", "notes",
                    "start_char", "metadata", "confidence"]


def extraction_spots(schema):
    d = schema["$defs"]
    by_kind = {k: props_info(d[k]) for k in
               ("person", "organization", "location", "date", "money", "product")}
    top = props_info(schema)
    # entity "kind" is a const: a wrong kind is the enum-style mistake
    for info in by_kind.values():
        kinds, _, req = info["kind"]
        info["kind"] = (kinds + ["enum"], ["person", "organization", "location", "date", "money",
                                           "product"], req)
    others = {"relation": props_info(d["relation"]), "sentiment": props_info(d["sentiment"]),
              "span": props_info(d["span"]), "money_value": props_info(d["money_value"]),
              "geo": props_info(d["location"]["properties"]["geo"])}

    def schema_of(path, obj):
        parts = path.split("/")[1:]
        if not parts:
            return top
        if parts[0] == "entities":
            if len(parts) == 2:
                return by_kind.get(obj.get("kind"))
            if parts[-2] == "mentions":
                return others["span"]
            if parts[-1] in ("value", "price"):
                return others["money_value"]
            if parts[-1] == "geo":
                return others["geo"]
            return None
        if parts[0] == "relations" and len(parts) == 2:
            return others["relation"]
        if parts == ["sentiment"]:
            return others["sentiment"]
        return None

    return lambda doc: spots_walk(doc, schema_of)


# ---- (c) a large schema: 240 properties ----------------------------------------------------


def large_schema(rng):
    """A customer record as a CRM or KYC form extraction fills it in."""
    groups = ["billing", "shipping", "legal", "primary_contact", "secondary_contact",
              "account", "marketing", "risk", "support", "subscription", "payment", "tax"]
    leaves = [
        ("name", {"type": "string", "minLength": 1, "maxLength": 120}),
        ("email", {"type": "string", "format": "email"}),
        ("phone", {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"}),
        ("country", {"type": "string", "pattern": "^[A-Z]{2}$"}),
        ("city", {"type": "string", "maxLength": 80}),
        ("postal_code", {"type": "string", "pattern": "^[A-Z0-9 -]{3,10}$"}),
        ("status", {"type": "string", "enum": ["active", "pending", "suspended", "closed"]}),
        ("tier", {"type": "string", "enum": ["free", "basic", "pro", "enterprise"]}),
        ("score", {"type": "integer", "minimum": 0, "maximum": 100}),
        ("amount", {"type": "number", "minimum": 0}),
        ("currency", {"type": "string", "pattern": "^[A-Z]{3}$"}),
        ("opt_in", {"type": "boolean"}),
        ("verified", {"type": "boolean"}),
        ("since", {"type": "string", "format": "date"}),
        ("updated_at", {"type": "string", "format": "date-time"}),
        ("notes", {"type": "string", "maxLength": 2000}),
        ("tags", {"type": "array", "items": {"type": "string", "maxLength": 40},
                  "maxItems": 20, "uniqueItems": True}),
        ("count", {"type": "integer", "minimum": 0}),
        ("ratio", {"type": "number", "minimum": 0, "maximum": 1}),
        ("url", {"type": "string", "format": "uri"}),
    ]
    props = {}
    for g in groups:
        for leaf, s in leaves:
            props["%s_%s" % (g, leaf)] = copy.deepcopy(s)
    # a few nested objects and identifiers
    props["customer_id"] = {"type": "string", "format": "uuid"}
    props["created_at"] = {"type": "string", "format": "date-time"}
    props["segment"] = {"type": "string", "enum": ["smb", "mid_market", "enterprise", "public"]}
    props["primary_address"] = {
        "type": "object",
        "properties": {
            "line1": {"type": "string", "minLength": 1}, "line2": {"type": "string"},
            "city": {"type": "string"}, "region": {"type": "string"},
            "postal_code": {"type": "string"}, "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        },
        "required": ["line1", "city", "country"],
        "additionalProperties": False,
    }
    names = list(props)
    required = ["customer_id", "created_at", "segment", "primary_address"] + \
        sorted(rng.sample([n for n in names if "_" in n and n.split("_")[0] in groups[:6]], 36))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CustomerRecord",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def large_value(rng, key, s):
    t = s.get("type")
    if "enum" in s:
        return rng.choice(s["enum"])
    fmt = s.get("format")
    if fmt == "email":
        f, lname = name(rng)
        return email(rng, f, lname)
    if fmt == "date":
        return date(rng, 2005, 2025)
    if fmt == "date-time":
        return datetime_(rng)
    if fmt == "uri":
        return "https://www.example.com/%s/%d" % (key.replace("_", "-"), rng.randint(1, 99999))
    if fmt == "uuid":
        return uuid(rng)
    pat = s.get("pattern")
    if pat == "^\\+[1-9][0-9]{6,14}$":
        return phone(rng)
    if pat == "^[A-Z]{2}$":
        return rng.choice(COUNTRIES)
    if pat == "^[A-Z]{3}$":
        return rng.choice(["USD", "EUR", "GBP", "JPY", "CHF"])
    if pat == "^[A-Z0-9 -]{3,10}$":
        return rng.choice(["%05d" % rng.randint(0, 99999), "SW1A 1AA", "75008", "1012 AB"])
    if t == "string":
        if key.endswith("_name"):
            return "%s %s" % name(rng)
        if key.endswith("_city"):
            return rng.choice(CITIES)
        return sentence(rng, 3, 30)
    if t == "integer":
        return rng.randint(s.get("minimum", 0), s.get("maximum", 5000))
    if t == "number":
        return round(rng.uniform(0, s.get("maximum", 100000)), rng.choice([0, 2, 4]))
    if t == "boolean":
        return rng.random() < 0.5
    if t == "array":
        return rng.sample(["vip", "churn-risk", "reseller", "eu", "apac", "trial", "beta",
                           "partner", "legacy", "priority"], rng.randint(0, 5))
    if t == "object":
        f = {"line1": "%d %s Street" % (rng.randint(1, 999), rng.choice(LAST)),
             "city": rng.choice(CITIES), "country": rng.choice(COUNTRIES)}
        if rng.random() < 0.4:
            f["line2"] = "Floor %d" % rng.randint(1, 30)
        if rng.random() < 0.8:
            f["postal_code"] = "%05d" % rng.randint(0, 99999)
        if rng.random() < 0.4:
            f["region"] = rng.choice(["North", "South", "Bavaria", "Ontario", "Kantō"])
        return f
    raise ValueError(key)


def large_doc(rng, schema):
    req = set(schema["required"])
    fill = rng.uniform(0.5, 0.95)
    doc = {}
    for k, s in schema["properties"].items():
        if k in req or rng.random() < fill:
            doc[k] = large_value(rng, k, s)
    return doc


LARGE_EXTRA = ["billing_iban", "shipping_method", "nickname", "account_manager", "website",
               "linkedin", "fax", "vat_number", "birthday", "industry", "employees"]


def large_spots(schema):
    top = props_info(schema)
    addr = props_info(schema["properties"]["primary_address"])

    def schema_of(path, obj):
        if path == "":
            return top
        if path == "/primary_address":
            return addr
        return None

    return lambda doc: spots_walk(doc, schema_of)


# ---- writing --------------------------------------------------------------------------------


def dump(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def write_corpus(out, cname, schema, gen, spots, extra, kinds, n, rng):
    d = os.path.join(out, cname)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "schema.json"), "w") as fh:
        json.dump(schema, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    valid = [gen(rng) for _ in range(n)]
    invalid, notes = [], []
    while len(invalid) < n:
        doc, note = make_invalid(gen(rng), spots, rng, extra, kinds)
        if note:
            invalid.append(doc)
            notes.append(note)
    with open(os.path.join(d, "valid.jsonl"), "w") as fh:
        for doc in valid:
            fh.write(dump(doc) + "\n")
    with open(os.path.join(d, "invalid.jsonl"), "w") as fh:
        for doc in invalid:
            fh.write(dump(doc) + "\n")
    with open(os.path.join(d, "mistakes.tsv"), "w") as fh:
        for i, note in enumerate(notes):
            fh.write("%d\t%s\n" % (i + 1, note))
    sizes = [len(dump(x).encode()) for x in valid + invalid]
    print("%s: %d properties at the top, %d valid + %d invalid documents, %d-%d bytes (mean %d)"
          % (cname, len(schema["properties"]), n, n, min(sizes), max(sizes),
             sum(sizes) // len(sizes)))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "corpora")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    kinds = ["type", "type", "missing", "missing", "extra", "extra", "enum", "enum", "format"]
    rng = random.Random(20261128)
    s = tool_call_schema()
    write_corpus(out, "tool-call", s, tool_call_doc, tool_call_spots(s), TOOL_EXTRA, kinds,
                 n, rng)
    s = extraction_schema()
    write_corpus(out, "extraction", s, extraction_doc, extraction_spots(s), EXTRACTION_EXTRA,
                 kinds, n, rng)
    s = large_schema(rng)
    write_corpus(out, "large", s, lambda r: large_doc(r, s), large_spots(s), LARGE_EXTRA,
                 kinds, n, rng)


if __name__ == "__main__":
    main()
