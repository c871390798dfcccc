"""CBOR (application/x-amz-cbor-1.1) helpers for the integration tests, built on the cbor2
library so that Tributary's hand-written codec is checked against an independent one.

* Requests: `encode_definite(value)` is cbor2's own encoding; `encode_indefinite(value)` writes
  every map and list with indefinite length (0xbf/0x9f ... 0xff) and long strings as chunked
  indefinite strings, leaves still encoded by cbor2. Timestamps are `EpochMillis` and go out as
  tag 1 over an integer count of milliseconds (what AWS's CBOR protocol does, unlike RFC 8949's
  seconds); blobs are `bytes` (byte strings).
* Responses: `decode(body)` decodes with cbor2's Python decoder but keeps tag 1 raw
  (`RawTimestamp(value)`), since cbor2 would read its content as seconds.
* Event streams: `subscribe(...)` runs SubscribeToShard over HTTP/1.1 and returns the
  event-stream messages (CRCs checked here, independently of the server's code).
* JSON twins: `to_json_payload(value)` is the same request for JSON 1.1 (base64 blobs, epoch
  seconds), and `normalise_json` / `normalise_cbor` turn both answers into one comparable form
  guided by botocore's Kinesis model: timestamps become `EpochMillis`, blobs `bytes`; the CBOR
  side records every member whose wire type is wrong (a timestamp that is not tag 1 over an
  integer, a blob that is not a byte string, ...).
"""

from __future__ import annotations

import base64
import http.client
import io
import math
import socket
import struct
import time
import zlib
from dataclasses import dataclass
from typing import Any, Callable, Optional

import botocore.session
import cbor2

try:  # cbor2 >= 5.5 keeps the pure-Python decoder in cbor2._decoder
    from cbor2._decoder import CBORDecoder as _PythonDecoder  # type: ignore[import-not-found]
except ImportError:  # cbor2 5.4 (Debian 12's python3-cbor2)
    from cbor2.decoder import CBORDecoder as _PythonDecoder  # type: ignore[no-redef]

from support import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_REGION,
    RawResponse,
    raw_request,
    sign_headers,
)
from .kinesis_support import (
    KINESIS_TARGET_PREFIX,
)

CBOR_CONTENT_TYPE = "application/x-amz-cbor-1.1"
# Strings longer than this go out as chunked indefinite-length strings in encode_indefinite.
CHUNK_BYTES = 7


class EpochMillis(int):
    """A timestamp as epoch milliseconds (requests, and normalised answers)."""

    def __repr__(self) -> str:
        return f"EpochMillis({int(self)})"


@dataclass(frozen=True)
class RawTimestamp:
    """The content of a CBOR tag 1 exactly as decoded (int or float)."""

    value: Any


class _RawEpochDecoder(_PythonDecoder):
    """cbor2's decoder with tag 1 left raw (cbor2 would make a datetime out of seconds)."""

    def _decode(self, immutable: bool = False, unshared: bool = False) -> Any:
        start = self.fp.tell()
        head = self.fp.read(2)
        if head[:1] == b"\xc1" or head == b"\xd8\x01":  # tag 1, short or one-byte form
            self.fp.seek(start + (1 if head[:1] == b"\xc1" else 2))
            return RawTimestamp(super()._decode())
        self.fp.seek(start)
        return super()._decode(immutable=immutable, unshared=unshared)


def decode(body: bytes) -> Any:
    """The one CBOR data item that must make up all of `body` (raises on anything else)."""
    stream = io.BytesIO(body)
    value = _RawEpochDecoder(stream).decode()
    if stream.tell() != len(body):
        raise ValueError(f"{len(body) - stream.tell()} bytes after the CBOR data item")
    return value


# --------------------------------------------------------------------------------------------
# Encoding requests
# --------------------------------------------------------------------------------------------


def _leaf(value: Any) -> Any:
    if isinstance(value, EpochMillis):
        return cbor2.CBORTag(1, int(value))
    return value


def _definite_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _definite_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_definite_tree(item) for item in value]
    return _leaf(value)


def encode_definite(value: Any) -> bytes:
    return cbor2.dumps(_definite_tree(value))


def _chunked(major: int, data: bytes) -> bytes:
    """An indefinite-length byte (major 2) or text (major 3) string of CHUNK_BYTES pieces;
    text is cut on UTF-8 character boundaries."""
    out = bytearray([(major << 5) | 31])
    if major == 3:
        text = data.decode("utf-8")
        piece = ""
        for character in text:
            if piece and len((piece + character).encode("utf-8")) > CHUNK_BYTES:
                out += cbor2.dumps(piece)
                piece = ""
            piece += character
        if piece:
            out += cbor2.dumps(piece)
    else:
        for offset in range(0, len(data), CHUNK_BYTES):
            out += cbor2.dumps(data[offset : offset + CHUNK_BYTES])
    out.append(0xFF)
    return bytes(out)


def encode_indefinite(value: Any) -> bytes:
    if isinstance(value, dict):
        return (
            b"\xbf"
            + b"".join(encode_indefinite(key) + encode_indefinite(item) for key, item in value.items())
            + b"\xff"
        )
    if isinstance(value, list):
        return b"\x9f" + b"".join(encode_indefinite(item) for item in value) + b"\xff"
    if isinstance(value, str) and len(value.encode("utf-8")) > CHUNK_BYTES:
        return _chunked(3, value.encode("utf-8"))
    if isinstance(value, (bytes, bytearray)) and len(value) > CHUNK_BYTES:
        return _chunked(2, bytes(value))
    return cbor2.dumps(_leaf(value))


ENCODINGS = {"definite": encode_definite, "indefinite": encode_indefinite}


def to_json_payload(value: Any) -> Any:
    """The same request for JSON 1.1: blobs as base64, timestamps as epoch seconds."""
    if isinstance(value, dict):
        return {key: to_json_payload(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json_payload(item) for item in value]
    if isinstance(value, EpochMillis):
        return int(value) / 1000
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    return value


# --------------------------------------------------------------------------------------------
# Calls
# --------------------------------------------------------------------------------------------


@dataclass
class CborResponse:
    raw: RawResponse
    value: Any = None  # the decoded body (None for an empty body)

    @property
    def status(self) -> int:
        return self.raw.status

    def describe(self) -> str:
        return self.raw.describe()


def cbor_call(server, operation: str, body: bytes, *, access_key: str = DEFAULT_ACCESS_KEY,
              content_type: str = CBOR_CONTENT_TYPE) -> CborResponse:
    """A SigV4-signed Kinesis call with a CBOR body; the answer decoded by cbor2."""
    raw = raw_request(
        server,
        headers={"Content-Type": content_type, "X-Amz-Target": f"{KINESIS_TARGET_PREFIX}.{operation}"},
        body=body,
        access_key=access_key,
    )
    value = decode(raw.body) if raw.body else None
    return CborResponse(raw, value)


# --------------------------------------------------------------------------------------------
# Normalising answers with the model
# --------------------------------------------------------------------------------------------

_service_model = None


def service_model():
    global _service_model
    if _service_model is None:
        _service_model = botocore.session.get_session().get_service_model("kinesis")
    return _service_model


def output_shape(operation: str):
    return service_model().operation_model(operation).output_shape


def normalise_json(value: Any, shape, path: str = "$") -> Any:
    """A JSON answer in comparable form: timestamps (epoch seconds) as EpochMillis, blobs
    (base64) as bytes."""
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {key: normalise_json(item, members.get(key), f"{path}.{key}")
                for key, item in value.items()}
    if kind == "list" and isinstance(value, list):
        return [normalise_json(item, shape.member, f"{path}[{index}]")
                for index, item in enumerate(value)]
    if kind == "map" and isinstance(value, dict):
        return {key: normalise_json(item, shape.value, f"{path}.{key}")
                for key, item in value.items()}
    if kind == "timestamp" and isinstance(value, (int, float)):
        return EpochMillis(round(value * 1000))
    if kind == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    return value


def normalise_cbor(value: Any, shape, problems: list[str], path: str = "$") -> Any:
    """A CBOR answer in comparable form; wire-type mistakes are appended to `problems`."""
    if shape is None:
        if isinstance(value, RawTimestamp):
            problems.append(f"{path}: tag 1 on a member the model does not know")
        return value
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: structure encoded as {type(value).__name__}")
            return value
        members = shape.members
        return {key: normalise_cbor(item, members.get(key), problems, f"{path}.{key}")
                for key, item in value.items()}
    if kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: list encoded as {type(value).__name__}")
            return value
        return [normalise_cbor(item, shape.member, problems, f"{path}[{index}]")
                for index, item in enumerate(value)]
    if kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: map encoded as {type(value).__name__}")
            return value
        return {key: normalise_cbor(item, shape.value, problems, f"{path}.{key}")
                for key, item in value.items()}
    if kind == "timestamp":
        if not isinstance(value, RawTimestamp):
            problems.append(f"{path}: timestamp not tagged 1 ({value!r})")
            return value
        if type(value.value) is not int:
            problems.append(f"{path}: tag 1 carries {type(value.value).__name__} {value.value!r}, "
                            "not an integer count of milliseconds")
            return value
        if not 10**12 <= value.value < 10**14:
            problems.append(f"{path}: tag 1 value {value.value} is not epoch milliseconds")
        return EpochMillis(value.value)
    if kind == "blob":
        if not isinstance(value, bytes):
            problems.append(f"{path}: blob encoded as {type(value).__name__}, not a byte string")
        return value
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: string encoded as {type(value).__name__}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: boolean encoded as {type(value).__name__}")
        return value
    if kind in ("integer", "long"):
        if type(value) is not int:
            problems.append(f"{path}: {kind} encoded as {type(value).__name__}")
        return value
    if kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or (
            isinstance(value, float) and math.isnan(value)
        ):
            problems.append(f"{path}: {kind} encoded as {value!r}")
        return value
    return value


def error_fields(value: Any) -> Optional[tuple[str, Optional[str]]]:
    """(__type, message) of an error body; 'message' or 'Message' (AWS spells it both ways)."""
    if not isinstance(value, dict) or "__type" not in value:
        return None
    return value["__type"], value.get("message", value.get("Message"))


# --------------------------------------------------------------------------------------------
# SubscribeToShard: event-stream messages
# --------------------------------------------------------------------------------------------

EVENTSTREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream"


@dataclass
class EventMessage:
    headers: dict[str, Any]
    payload: bytes


def split_event_messages(buffer: bytearray) -> list[EventMessage]:
    """Takes the complete messages off the front of `buffer` (CRCs must match)."""
    messages = []
    while len(buffer) >= 12:
        total, headers_length, prelude_crc = struct.unpack(">III", buffer[:12])
        assert zlib.crc32(bytes(buffer[:8])) == prelude_crc, "event-stream prelude CRC mismatch"
        if len(buffer) < total:
            break
        frame = bytes(buffer[:total])
        del buffer[:total]
        assert zlib.crc32(frame[:-4]) == struct.unpack(">I", frame[-4:])[0], "message CRC mismatch"
        headers: dict[str, Any] = {}
        raw = frame[12 : 12 + headers_length]
        at = 0
        while at < len(raw):
            name_length = raw[at]
            name = raw[at + 1 : at + 1 + name_length].decode()
            at += 1 + name_length
            value_type = raw[at]
            at += 1
            if value_type in (6, 7):
                (length,) = struct.unpack(">H", raw[at : at + 2])
                value: Any = raw[at + 2 : at + 2 + length]
                value = value.decode() if value_type == 7 else value
                at += 2 + length
            elif value_type in (0, 1):
                value = value_type == 0
            else:
                width = {2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}[value_type]
                value = raw[at : at + width]
                at += width
            headers[name] = value
        messages.append(EventMessage(headers, frame[12 + headers_length : -4]))
    return messages


def subscribe(server, body: bytes, *, content_type: str, access_key: str,
              until: Callable[[list[EventMessage]], bool], timeout: float = 15.0
              ) -> tuple[int, dict[str, str], list[EventMessage] | bytes]:
    """Sends SubscribeToShard (HTTP/1.1, SigV4-shaped) and reads event-stream messages until
    until(messages) is true (or fails after `timeout`). An error answer returns its body."""
    host = f"127.0.0.1:{server.port}"
    headers = sign_headers(
        method="POST", url=f"http://{host}/",
        headers={"Content-Type": content_type,
                 "X-Amz-Target": f"{KINESIS_TARGET_PREFIX}.SubscribeToShard"},
        body=body, access_key=access_key, region=DEFAULT_REGION)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        response_headers = {name.lower(): value for name, value in response.getheaders()}
        if response.status != 200:
            return response.status, response_headers, response.read()
        buffer = bytearray()
        messages: list[EventMessage] = []
        deadline = time.monotonic() + timeout
        while not until(messages):
            if time.monotonic() > deadline:
                raise AssertionError(f"SubscribeToShard: condition not met within {timeout}s; "
                                     f"messages so far: {messages!r}")
            try:
                chunk = response.read1(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise AssertionError(f"SubscribeToShard: the stream ended; messages: {messages!r}")
            buffer += chunk
            messages += split_event_messages(buffer)
        return response.status, response_headers, messages
    finally:
        connection.close()
