"""Drives an Apus WebSocket test app with an independent client, the `websockets` package,
plus a raw socket for frames `websockets` refuses to send (invalid UTF-8, unmasked).

Usage: python websocket_checks.py PORT CHECK...  Prints one JSON object: check name -> result.
The Swift test (WebSocketClientTests) starts the app and asserts on the results.
"""
import asyncio
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.request

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

PORT = int(sys.argv[1])
BASE = f"ws://127.0.0.1:{PORT}"


def closed_code(error):
    return {"code": error.rcvd.code if error.rcvd else None, "reason": error.rcvd.reason if error.rcvd else None}


async def echo():
    async with connect(f"{BASE}/echo", ping_interval=None, max_size=None) as ws:
        await ws.send("héllo ✓")
        text = await ws.recv()
        await ws.send(bytes(range(256)))
        binary = await ws.recv()
        # One message in three fragments.
        await ws.send(["frag", "ment", "ed ✓"])
        fragmented = await ws.recv()
        await ws.send([b"\x00\x01", b"\x02"])
        fragmented_binary = await ws.recv()
        big = os.urandom(1 << 20)
        await ws.send(big)
        big_echo = await ws.recv()
        # 1.5 MiB in two frames: each within the 1 MiB frame limit, the whole within the 2 MiB message limit.
        large = os.urandom(3 << 19)
        await ws.send([large[: 3 << 18], large[3 << 18:]])
        large_echo = await ws.recv()
        # Quiet for 1 s: the server pings every 300 ms in the test app, websockets answers, and the
        # connection stays up.
        await asyncio.sleep(1.0)
        await ws.send("still here")
        still_here = await ws.recv()
        pong_started = time.monotonic()
        await (await ws.ping(b"are you there"))
        pong_ms = (time.monotonic() - pong_started) * 1000
    return {
        "text": text, "binary_ok": binary == bytes(range(256)), "fragmented": fragmented,
        "fragmented_binary": list(fragmented_binary), "big_ok": big_echo == big, "after_idle": still_here, "fragmented_large_ok": large_echo == large, "pong_ms": round(pong_ms, 2),
        "close_code": ws.close_code,
    }


async def json_messages():
    async with connect(f"{BASE}/json", ping_interval=None) as ws:
        await ws.send(json.dumps({"text": "hi", "count": 2}))
        reply = json.loads(await ws.recv())
        await ws.send(json.dumps({"text": "hi"}))
        try:
            await ws.recv()
            invalid = None
        except ConnectionClosed as error:
            invalid = closed_code(error)
    return {"reply": reply, "invalid": invalid}


async def expect_close(path, send=None, **options):
    async with connect(f"{BASE}{path}", ping_interval=None, **options) as ws:
        if send is not None:
            await ws.send(send)
        try:
            while True:
                await ws.recv()
        except ConnectionClosed as error:
            return closed_code(error)


async def close_codes():
    return {
        "returned": await expect_close("/close/none", send="bye"),
        "policy": await expect_close("/close/1008", send="bye"),
        "handler_error": await expect_close("/fail", send="boom"),
        "frame_too_big": await expect_close("/echo", send=b"x" * ((1 << 20) + 1), max_size=None),
        "message_too_big": await expect_close("/echo", send=[b"x" * (1 << 20)] * 3, max_size=None),
    }


def handshake(path):
    sock = socket.create_connection(("127.0.0.1", PORT))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    return sock, head.decode()


def frame(opcode, payload, fin=True, mask=True):
    first = (0x80 if fin else 0) | opcode
    key = os.urandom(4) if mask else b""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", first, (0x80 if mask else 0) | length)
    else:
        header = struct.pack("!BBH", first, (0x80 if mask else 0) | 126, length)
    body = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if mask else payload
    return header + key + body


def read_frame(sock):
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data
    first, second = exact(2)
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", exact(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", exact(8))[0]
    return first & 0x0F, exact(length)


def raw_close(path, frames):
    sock, head = handshake(path)
    for data in frames:
        sock.sendall(data)
    sock.settimeout(5)
    while True:
        opcode, payload = read_frame(sock)
        if opcode == 0x8:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
            sock.close()
            return {"status_line": head.split("\r\n")[0], "code": code, "reason": payload[2:].decode()}


def raw_frames():
    return {
        "invalid_utf8": raw_close("/echo", [frame(0x1, b"\xff\xfe\xfd")]),
        "unmasked": raw_close("/echo", [frame(0x1, b"hi", mask=False)]),
        "continuation_without_start": raw_close("/echo", [frame(0x0, b"hi")]),
    }


async def rejections():
    results = {}
    for name, path in [("closed_before_accept", "/reject"), ("invalid_parameters", "/rooms/lobby"),
                       ("http_error", "/deny"), ("unknown_path", "/nowhere")]:
        try:
            async with connect(f"{BASE}{path}", ping_interval=None):
                results[name] = "accepted"
        except InvalidStatus as error:
            response = error.response
            results[name] = {"status": response.status_code, "body": json.loads(response.body or b"null"),
                             "www_authenticate": response.headers.get("www-authenticate")}
    async with connect(f"{BASE}/subprotocol", subprotocols=["chat.v2", "chat.v1"], ping_interval=None) as ws:
        results["subprotocol"] = ws.subprotocol
        results["subprotocol_echo"] = await ws.recv()
    async with connect(f"{BASE}/rooms/lobby?nick=ann", additional_headers={"x-client": "py"}, ping_interval=None) as ws:
        results["parameters"] = json.loads(await ws.recv())
    return results


def stats():
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/stats") as response:
        return json.loads(response.read())


async def backpressure():
    # The server sends 64 KiB messages as fast as it may while this client reads nothing.
    async with connect(f"{BASE}/flood", ping_interval=None, max_size=None, max_queue=1) as ws:
        ws.transport.pause_reading()
        await asyncio.sleep(1.0)
        after_1s = stats()["flood_sent_bytes"]
        await asyncio.sleep(0.5)
        after_1_5s = stats()["flood_sent_bytes"]
        ws.transport.resume_reading()
        received = 0
        while received < 10:
            await ws.recv()
            received += 1

        async def drain():
            try:
                async for _ in ws:
                    pass
            except ConnectionClosed:
                pass
        # The flood goes on until the server sees the close frame: read it away meanwhile.
        draining = asyncio.create_task(drain())
        await ws.close()
        await draining
        close_code = ws.close_code
    return {"sent_after_1s": after_1s, "sent_after_1_5s": after_1_5s, "received_after_resume": received, "close_code": close_code}


async def inbound_backpressure():
    # The handler reads nothing for 1.5 s while this client sends 64 KiB messages as fast as
    # it may: the server stops reading past its inbox, so the client's sends block.
    chunk = b"x" * (64 << 10)
    sent = 0
    stop = False
    async with connect(f"{BASE}/sleepy", ping_interval=None) as ws:
        async def flood():
            nonlocal sent
            while not stop:
                await ws.send(chunk)
                sent += 1
        sender = asyncio.create_task(flood())
        await asyncio.sleep(1.0)
        after_1s = sent
        await asyncio.sleep(0.4)
        after_1_4s = sent
        await asyncio.sleep(0.6)  # the handler reads again from 1.5 s
        stop = True
        await sender
        await ws.send("done")
        counted = int(await ws.recv())
    return {"sent_after_1s": after_1s, "sent_after_1_4s": after_1_4s, "sent": sent, "counted": counted}


def vanished():
    # A client that completes the handshake, then never answers pings: the server pings,
    # drops it after the timeout and cancels its handler.
    before = stats()["cancelled"]
    sock, head = handshake("/hold")
    sock.settimeout(10)
    started = time.monotonic()
    opcodes = []
    try:
        while True:
            opcode, _ = read_frame(sock)
            opcodes.append(opcode)
    except (EOFError, ConnectionResetError):
        pass
    dropped_after = time.monotonic() - started
    time.sleep(0.2)
    return {"opcodes": opcodes, "dropped_after_s": round(dropped_after, 2), "cancelled": stats()["cancelled"] - before}


def vanished_tcp():
    # A client whose connection just ends (no close frame): the handler is cancelled.
    before = stats()["cancelled"]
    sock, _ = handshake("/hold")
    time.sleep(0.2)
    sock.close()
    deadline = time.monotonic() + 5
    while stats()["cancelled"] - before < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    return {"cancelled": stats()["cancelled"] - before}


async def going_away():
    # Waits on /hold until the server shuts down (the Swift test triggers it).
    async with connect(f"{BASE}/hold", ping_interval=None) as ws:
        print("connected", flush=True)
        try:
            await ws.recv()
        except ConnectionClosed as error:
            return closed_code(error)


CHECKS = {
    "echo": echo, "json": json_messages, "close_codes": close_codes, "raw_frames": raw_frames,
    "rejections": rejections, "backpressure": backpressure, "inbound_backpressure": inbound_backpressure, "vanished": vanished, "vanished_tcp": vanished_tcp,
    "going_away": going_away,
}


async def main():
    results = {}
    for name in sys.argv[2:]:
        check = CHECKS[name]
        started = time.monotonic()
        try:
            result = check()
            if asyncio.iscoroutine(result):
                result = await asyncio.wait_for(result, 30)
            results[name] = result
        except Exception as error:  # reported to the Swift test, which fails on it
            results[name] = {"error": f"{type(error).__name__}: {error}"}
        print(f"{name}: {time.monotonic() - started:.2f} s", file=sys.stderr, flush=True)
    print(json.dumps(results))


asyncio.run(main())
