"""A bounded WebSocket load test on 127.0.0.1: N sockets open at once, each sends M text
messages and checks every echo, then closes; reports throughput, failures and the server's
memory (VmRSS now and VmHWM, the peak, from /proc).

    taskset -c 0 .build/release/apus-bench-server --port 8080 &
    taskset -c 1 .venv/bin/python Benchmarks/load/websocket_load.py --pid $! --sockets 1000 --messages 100

Needs `websockets` (in .venv via Scripts/install-test-tools.sh).
"""
import argparse
import asyncio
import json
import os
import resource
import time

from websockets.asyncio.client import connect


def cpu_seconds(pid):
    """User + system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


async def client(url, index, messages, opened, release, results):
    async with connect(url, ping_interval=None, open_timeout=60, close_timeout=30) as ws:
        opened.append(index)
        await release.wait()
        for n in range(messages):
            text = f"socket {index} message {n}"
            await ws.send(text)
            if await ws.recv() != text:
                results["mismatched"] += 1
                break
        else:
            results["echoed"] += messages
    results["close_codes"][ws.close_code] = results["close_codes"].get(ws.close_code, 0) + 1


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="ws://127.0.0.1:8080/ws/echo")
    parser.add_argument("--pid", type=int, required=True, help="the server's process id, for its memory")
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=100)
    options = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, options.sockets + 100)), hard))

    idle = memory(options.pid)
    opened, release = [], asyncio.Event()
    results = {"echoed": 0, "mismatched": 0, "close_codes": {}}
    tasks = [asyncio.create_task(client(options.url, i, options.messages, opened, release, results))
             for i in range(options.sockets)]
    while len(opened) < options.sockets:
        done = [task for task in tasks if task.done() and task.exception()]
        if done:
            raise done[0].exception()
        await asyncio.sleep(0.05)
    all_open = memory(options.pid)
    started = time.monotonic()
    cpu_before = cpu_seconds(options.pid)
    release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - started
    server_cpu = cpu_seconds(options.pid) - cpu_before
    errors = [repr(outcome) for outcome in outcomes if isinstance(outcome, BaseException)]
    after = memory(options.pid)
    expected = options.sockets * options.messages
    print(json.dumps({
        "sockets": options.sockets, "messages_per_socket": options.messages,
        "echoed": results["echoed"], "expected": expected, "mismatched": results["mismatched"],
        "errors": errors[:5], "error_count": len(errors),
        "close_codes": results["close_codes"],
        "seconds": round(elapsed, 2), "round_trips_per_s": round(results["echoed"] / elapsed),
        # What the server spent: its CPU time per echoed message, and the share of its core it used.
        "server_cpu_us_per_message": round(server_cpu / max(results["echoed"], 1) * 1e6, 1),
        "server_core_busy": round(server_cpu / elapsed, 2),
        "server_rss_mib": {"idle": round(idle["VmRSS"], 1), "all_open": round(all_open["VmRSS"], 1),
                           "after": round(after["VmRSS"], 1), "peak": round(after["VmHWM"], 1)},
    }, indent=2))


asyncio.run(main())
