"""A minimal HTTP/2 client over a raw socket (h2c with prior knowledge), for the limits tests.

It sends what a misbehaving client sends (requests it never reads, partial header blocks,
more streams than allowed) and reads frames without decoding response headers (HPACK
decoding is not needed: the tests look at frame types, stream ids, error codes and DATA).
Python's h2 library is not installed on the test machines; this is enough for these tests.
"""

from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass
from typing import Optional

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
SETTINGS_MAX_CONCURRENT_STREAMS = 0x3
SETTINGS_INITIAL_WINDOW_SIZE = 0x4
SETTINGS_MAX_HEADER_LIST_SIZE = 0x6
REFUSED_STREAM = 0x7


@dataclass
class Frame:
    type: int
    flags: int
    stream_id: int
    payload: bytes


def frame(frame_type: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    return (struct.pack(">I", len(payload))[1:] + bytes([frame_type, flags])
            + struct.pack(">I", stream_id & 0x7FFFFFFF) + payload)


def _hpack_integer(value: int, prefix_bits: int, first_byte_flags: int = 0) -> bytes:
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte_flags | value])
    out = bytearray([first_byte_flags | limit])
    value -= limit
    while value >= 128:
        out.append((value % 128) + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def hpack_literal(name: str, value: str) -> bytes:
    """A literal header field without indexing, new name, no Huffman coding (RFC 7541 6.2.2)."""
    name_bytes, value_bytes = name.encode(), value.encode()
    return (b"\x00" + _hpack_integer(len(name_bytes), 7) + name_bytes
            + _hpack_integer(len(value_bytes), 7) + value_bytes)


def header_block(headers: list[tuple[str, str]]) -> bytes:
    return b"".join(hpack_literal(name, value) for name, value in headers)


def kinesis_request_headers(operation: str, authority: str, *, extra=()) -> list[tuple[str, str]]:
    return [
        (":method", "POST"),
        (":scheme", "http"),
        (":path", "/"),
        (":authority", authority),
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", f"Kinesis_20131202.{operation}"),
        ("x-amz-date", "20260101T000000Z"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/"
                          "aws4_request, SignedHeaders=host, Signature=abc"),
        *extra,
    ]


class H2Connection:
    """One h2c connection. `window` is the SETTINGS_INITIAL_WINDOW_SIZE the client announces
    (the server may send that much per stream before the client opens the window further)."""

    def __init__(self, port: int, *, window: Optional[int] = None, timeout: float = 10.0,
                 ack_settings: bool = True):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.ack_settings = ack_settings
        settings = b""
        if window is not None:
            settings += struct.pack(">HI", SETTINGS_INITIAL_WINDOW_SIZE, window)
        self.sock.sendall(PREFACE + frame(SETTINGS, 0, 0, settings))
        self._buffer = b""
        self.next_stream_id = 1

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def request(self, headers: list[tuple[str, str]], body: bytes = b"", *,
                end_stream: bool = True) -> int:
        stream_id = self.next_stream_id
        self.next_stream_id += 2
        block = header_block(headers)
        if not body:
            self.send(frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), stream_id,
                            block))
        else:
            self.send(frame(HEADERS, END_HEADERS, stream_id, block)
                      + frame(DATA, END_STREAM if end_stream else 0, stream_id, body))
        return stream_id

    def kinesis(self, operation: str, body: bytes, *, extra=()) -> int:
        return self.request(kinesis_request_headers(operation, f"127.0.0.1:{self.port}",
                                                    extra=extra), body)

    def read_frames(self, seconds: float, *, until=None) -> tuple[list[Frame], bool]:
        """Reads frames for up to `seconds` (or until `until(frames)` is true). Returns the
        frames and whether the server closed the connection. Acknowledges SETTINGS."""
        frames: list[Frame] = []
        closed = False
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            while len(self._buffer) >= 9:
                length = int.from_bytes(self._buffer[:3], "big")
                if len(self._buffer) < 9 + length:
                    break
                frame_type, flags = self._buffer[3], self._buffer[4]
                stream_id = int.from_bytes(self._buffer[5:9], "big") & 0x7FFFFFFF
                payload = self._buffer[9:9 + length]
                self._buffer = self._buffer[9 + length:]
                frames.append(Frame(frame_type, flags, stream_id, payload))
                if frame_type == SETTINGS and not flags & ACK and self.ack_settings:
                    try:
                        self.send(frame(SETTINGS, ACK, 0))
                    except OSError:
                        pass
            if until is not None and until(frames):
                break
            self.sock.settimeout(max(0.01, min(0.5, deadline - time.monotonic())))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except (ConnectionResetError, BrokenPipeError):
                closed = True
                break
            if not chunk:
                closed = True
                break
            self._buffer += chunk
        return frames, closed

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def server_settings(frames: list[Frame]) -> dict[int, int]:
    """The values of the server's first non-ACK SETTINGS frame."""
    for f in frames:
        if f.type == SETTINGS and not f.flags & ACK:
            return {struct.unpack(">H", f.payload[i:i + 2])[0]:
                    struct.unpack(">I", f.payload[i + 2:i + 6])[0]
                    for i in range(0, len(f.payload), 6)}
    return {}


def rst_code(f: Frame) -> int:
    return struct.unpack(">I", f.payload[:4])[0]
