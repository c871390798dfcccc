#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: tests/fuzz/corpus/cbor/*,
tests/fuzz/corpus/eventstream/* and tests/fuzz/corpus/expression/*. The files are committed; run
this again (the CBOR and event-stream seeds need python3-cbor2) only to change them:

    python3 tests/fuzz/make_seed_corpus.py                 # all of them
    python3 tests/fuzz/make_seed_corpus.py expression      # only the named ones

CBOR seeds are Kinesis request bodies as AWS SDKs send them (definite and indefinite lengths,
chunked strings, tag-1 millisecond timestamps, byte-string blobs), bodies for the fuzz target's
own "Everything" shape (floats of every width, nesting) and a few malformed ones. Event-stream
seeds are SubscribeToShard-like messages, one header of every type, several messages in a row.
Expression seeds are DynamoDB expressions of every kind and feature (the five texts of one seed
separated by \x01, as expression_fuzz.cc reads them), AWS's recorded syntax errors and limits.
"""

from __future__ import annotations

import pathlib
import struct
import sys
import zlib

try:
    import cbor2
except ImportError:  # only the CBOR and event-stream seeds need it
    cbor2 = None

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


# --- CBOR --------------------------------------------------------------------------------------


def indefinite(value) -> bytes:
    """Maps and lists with indefinite lengths; strings over 5 bytes chunked."""
    if isinstance(value, dict):
        return b"\xbf" + b"".join(indefinite(k) + indefinite(v) for k, v in value.items()) + b"\xff"
    if isinstance(value, list):
        return b"\x9f" + b"".join(indefinite(v) for v in value) + b"\xff"
    if isinstance(value, str) and len(value) > 5:
        return b"\x7f" + cbor2.dumps(value[:5]) + cbor2.dumps(value[5:]) + b"\xff"
    if isinstance(value, bytes) and len(value) > 5:
        return b"\x5f" + cbor2.dumps(value[:5]) + cbor2.dumps(value[5:]) + b"\xff"
    return cbor2.dumps(value)


def millis(value: int) -> cbor2.CBORTag:
    return cbor2.CBORTag(1, value) if cbor2 else value  # without cbor2 only for the tables below


KINESIS_REQUESTS = {
    "create_stream": {"StreamName": "seed-stream", "ShardCount": 2,
                      "StreamModeDetails": {"StreamMode": "PROVISIONED"}, "Tags": {"k": "v"}},
    "put_record": {"StreamName": "seed-stream", "PartitionKey": "pk", "Data": bytes(range(32)),
                   "ExplicitHashKey": "340282366920938463463374607431768211455"},
    "put_records": {"StreamName": "seed-stream", "Records": [
        {"PartitionKey": "a", "Data": b"\x00\xff"}, {"PartitionKey": "b", "Data": "text"}]},
    "get_shard_iterator": {"StreamName": "seed-stream", "ShardId": "shardId-000000000000",
                           "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": millis(1700000000123)},
    "get_records": {"ShardIterator": "AAAAAAAAAAE=", "Limit": 10000},
    "list_shards": {"StreamName": "seed-stream", "MaxResults": 1000,
                    "ShardFilter": {"Type": "FROM_TIMESTAMP", "Timestamp": millis(1700000000000)},
                    "StreamCreationTimestamp": 1700000000.5},
    "subscribe_to_shard": {"ConsumerARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
                           "ShardId": "shardId-000000000000",
                           "StartingPosition": {"Type": "AT_SEQUENCE_NUMBER", "SequenceNumber": "4968"}},
    "update_account_settings": {"MinimumThroughputBillingCommitment": {"Status": "ENABLED"}},
    "empty": {},
}

EVERYTHING = {"S": "text \u00e9", "I": -2147483648, "L": 2**63 - 1, "B": True, "Y": b"\x01\x02",
              "T": millis(1), "D": 1.5, "F": -0.0, "A": [{"S": "x", "N": {"I": 1}}],
              "M": {"one": 1.0, "inf": float("inf")}, "N": {"N": {"N": {"B": False}}}}

RAW_CBOR = {
    "half_single_double_floats": b"\xa3\x61D\xf9\x3c\x00\x61F\xfa\x3f\xc0\x00\x00\x61L\xfb\x40\x09\x21\xfb\x54\x44\x2d\x18",
    "big_integers": b"\xa2\x61I\x3a\x7f\xff\xff\xff\x61L\x1b\xff\xff\xff\xff\xff\xff\xff\xff",
    "null_and_undefined": b"\xa2\x61S\xf6\x61B\xf7",
    "float_timestamp": b"\xa1\x61T\xc1\xfb\x41\xd9\x4c\xa1\x5e\x08\x00\x00",
    "nested_tags": b"\xa1\x61T\xc1\xc1\xc1\x01",
    "truncated_map": b"\xbf\x6aStreamName",
    "lone_break": b"\xff",
    "invalid_utf8": b"\xa1\x6aStreamName\x62\xff\xfe",
    "huge_declared_length": b"\xa1\x6aStreamName\x7b\x7f\xff\xff\xff\xff\xff\xff\xff",
    "deep_nesting": b"\x81" * 70 + b"\x00",
}


def cbor_seeds() -> dict[str, bytes]:
    seeds = {}
    for name, request in KINESIS_REQUESTS.items():
        seeds[f"{name}_definite"] = cbor2.dumps(request)
        seeds[f"{name}_indefinite"] = indefinite(request)
    seeds["everything_definite"] = cbor2.dumps(EVERYTHING)
    seeds["everything_indefinite"] = indefinite(EVERYTHING)
    seeds.update(RAW_CBOR)
    return seeds


# --- Event stream ------------------------------------------------------------------------------


def header(name: str, type_code: int, value: bytes) -> bytes:
    encoded = name.encode()
    return bytes([len(encoded)]) + encoded + bytes([type_code]) + value


def string_header(name: str, value: str, type_code: int = 7) -> bytes:
    data = value.encode()
    return header(name, type_code, struct.pack(">H", len(data)) + data)


def message(headers: bytes, payload: bytes) -> bytes:
    total = 16 + len(headers) + len(payload)
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event(event_type: str, content_type: str, payload: bytes) -> bytes:
    return message(string_header(":event-type", event_type)
                   + string_header(":content-type", content_type)
                   + string_header(":message-type", "event"), payload)


def eventstream_seeds() -> dict[str, bytes]:
    records_json = (b'{"ContinuationSequenceNumber":"4968","MillisBehindLatest":0,"Records":'
                    b'[{"Data":"AAEC","PartitionKey":"pk","SequenceNumber":"4968",'
                    b'"ApproximateArrivalTimestamp":1.7E9}]}')
    records_cbor = cbor2.dumps({"ContinuationSequenceNumber": "4968", "MillisBehindLatest": 0,
                                "Records": [{"Data": b"\x00\x01", "PartitionKey": "pk",
                                             "SequenceNumber": "4968",
                                             "ApproximateArrivalTimestamp": millis(1700000000000)}]})
    every_type = (header("true", 0, b"") + header("false", 1, b"") + header("byte", 2, b"\x80")
                  + header("short", 3, b"\x80\x01") + header("int", 4, b"\xff\xff\xff\xfe")
                  + header("long", 5, struct.pack(">q", -2)) + string_header("bytes", "\x00\x01", 6)
                  + string_header("string", "caf\u00e9") + header("timestamp", 8, struct.pack(">q", 1700000000000))
                  + header("uuid", 9, bytes(range(16))))
    initial = event("initial-response", "application/json", b"{}")
    return {
        "empty_message": message(b"", b""),
        "initial_response": initial,
        "records_event_json": event("SubscribeToShardEvent", "application/json", records_json),
        "records_event_cbor": event("SubscribeToShardEvent", "application/x-amz-cbor-1.1", records_cbor),
        "exception": message(string_header(":exception-type", "ResourceInUseException")
                             + string_header(":content-type", "application/json")
                             + string_header(":message-type", "exception"), b'{"message":"busy"}'),
        "every_header_type": message(every_type, b"payload"),
        "three_in_a_row": initial + event("SubscribeToShardEvent", "application/json", records_json)
        + message(b"", b"x"),
        "long_header_value": message(string_header("n" * 255, "v" * 300), b""),
        "truncated": initial[:-3],
    }


def write(directory: str, seeds: dict[str, bytes]) -> None:
    target = CORPUS / directory
    target.mkdir(parents=True, exist_ok=True)
    for old in target.iterdir():
        old.unlink()
    for name, data in sorted(seeds.items()):
        (target / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds")


# --- DynamoDB expressions ---------------------------------------------------------------------


def expression_seeds() -> dict[str, bytes]:
    # update \x01 condition \x01 key condition \x01 filter \x01 projection
    requests = {
        "update_set_arithmetic": ["SET a = :n + :m, #b.c[2] = if_not_exists(#b.c[2], :zero) - :one",
                                  "attribute_exists(a) AND NOT contains(#b, :s)"],
        "update_every_clause": ["SET l = list_append(l, :l) REMOVE x[0], y.z ADD n :n DELETE ss :ss"],
        "update_parentheses": ["set a = (:n + :m), b = (c) - (:n)"],
        "condition_precedence": ["", "a = :s OR b <> :t AND NOT c < :n OR d BETWEEN :lo AND :hi"],
        "condition_functions": ["", "attribute_type(a, :type) AND begins_with(#b, :s) AND "
                                "size(c.d[1]) >= :n AND attribute_not_exists(e) AND e IN (:s, :t, f)"],
        "condition_groups": ["", "(a = :s OR (b = :t)) AND ((c) > :n)"],
        "key_condition": ["", "", "#pk = :pk AND #sk BETWEEN :lo AND :hi", "size(a) > :n", "#pk, a.b"],
        "key_condition_begins_with": ["", "", "(pk = :pk) AND (begins_with(sk, :prefix))"],
        "projection": ["", "", "", "", "a, b.c, #d[3].e, f[0][1]"],
        "syntax_errors": ["INVALID SYNTAX HERE", "a-b", "[object Object]", "foo", "!!"],
        "more_syntax_errors": ["SET _123 = :v", "attribute_type()", "a IN ()", "((a < b))", "l[a]"],
        "reserved_and_undefined": ["SET status = :v1234567", "#missing12 = :s", "TTL = :t",
                                   "name = :n", "size, data"],
        "misused": ["SET a = size(b)", "size(a)", "attribute_exists(a) = :b",
                    "begins_with(a, :n)", "a = a"],
        "overlaps": ["SET a = :s, a.b = :t REMOVE a[1]", "", "", "", "a, a.b, a[0]"],
        "deep_not": ["", "NOT " * 40 + "a < b"],
        "deep_parens": ["", "(" * 40 + "a < b" + ")" * 40],
        "deep_functions": ["", "a < " + "size(" * 30 + "b" + ")" * 30],
        "deep_or": ["", "a<b " + "or (a<b " * 160 + ")" * 160],
        "long_in": ["", "a IN (" + ", ".join(f":v{i}" for i in range(101)) + ")"],
        "unicode": ["SET a = :\u00e9", "a = :s \u00e9", "\u00e9\u00e9", "", "a\u2028b"],
    }
    return {name: "\x01".join(texts).encode() for name, texts in requests.items()}


# --- DynamoDB PartiQL statements ----------------------------------------------------------------


def partiql_seeds() -> dict[str, bytes]:
    statements = {
        "select_all": 'SELECT * FROM "Music"',
        "select_key": "SELECT a, b.c[1], \"d\"['e'] FROM Music WHERE Artist = ? AND SongTitle = 'x';",
        "select_index": 'SELECT * FROM "T"."I" WHERE g = 1 ORDER BY s DESC',
        "select_conditions": "SELECT * FROM t WHERE (a = 'x' OR b <> 2) AND NOT c BETWEEN 1 AND 5 "
                             "AND d IN [1, 'two', ?] AND e IS NOT MISSING AND f IS STRING "
                             "AND begins_with(g, 'p') AND contains(h, 3) AND size(i) >= 2",
        "select_literals": "SELECT * FROM t WHERE m = {'k': [1, <<'a', 'b'>>, true, null]} "
                           "AND n = -1.5e3 AND s = 'it''s' -- comment\n AND x = 1 /* c */",
        "insert": "INSERT INTO \"T\" VALUE {'pk': 'a', 'n': 1, 'l': [1, [2]], "
                  "'m': {'x': {'y': <<1, 2>>}}, 'b': false, 'z': null, 'p': ?}",
        "update": "UPDATE t SET a = a + 1, b = list_append(b, [1]) SET s = set_add(s, <<'x'>>) "
                  "SET r = set_delete(r, <<2>>) REMOVE c, d[0] WHERE pk = 'k' AND sk = 2 "
                  "AND n > 1 RETURNING ALL NEW *",
        "delete": "DELETE FROM t WHERE pk = ? AND sk = ? AND attribute_type(x, 'S') "
                  "RETURNING ALL OLD *",
        "errors": "SELECT * FROM t t2 WHERE pk = 1 foo",
        "error_where": "SELECT * FROM t WHERE a = 1 AND",
        "error_exponent": "SELECT * FROM t WHERE a = 1e2147483648",
        "error_number": "INSERT INTO t VALUE {'a': [1, 1e126]}",
        "deep_parens": "SELECT * FROM t WHERE " + "(" * 200 + "a = 1" + ")" * 200,
        "deep_not": "SELECT * FROM t WHERE " + "NOT " * 200 + "a = 1",
        "deep_list": "INSERT INTO t VALUE {'a': " + "[" * 200 + "]" * 200 + "}",
        "long_in": "SELECT * FROM t WHERE a IN [" + ", ".join(str(i) for i in range(120)) + "]",
    }
    return {name: text.encode() for name, text in statements.items()}


if __name__ == "__main__":
    corpora = {"cbor": cbor_seeds, "eventstream": eventstream_seeds,
               "expression": expression_seeds, "partiql": partiql_seeds}
    for name in sys.argv[1:] or list(corpora):
        if name not in ("expression", "partiql") and cbor2 is None:
            sys.exit("the cbor and eventstream seeds need python3-cbor2")
        write(name, corpora[name]())
