"""A load generator for bench/ingest.py, run as its own process so it never shares the API's GIL.

Reads pre-built request bodies (a msgpack list of bytes) and posts each once over keep-alive
connections from `--concurrency` threads; prints JSON with the elapsed time, per-request
latencies and status counts.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import threading
import time
from urllib.parse import urlsplit

import msgspec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--bodies", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--encoding", default="identity")
    args = parser.parse_args()
    with open(args.bodies, "rb") as handle:
        bodies: list[bytes] = msgspec.msgpack.decode(handle.read())
    url = urlsplit(args.url)
    headers = {"Authorization": f"Bearer {args.key}", "Content-Type": "application/json"}
    if args.encoding != "identity":
        headers["Content-Encoding"] = args.encoding
    latencies: list[float] = []
    statuses: collections.Counter[int] = collections.Counter()
    lock = threading.Lock()
    next_index = iter(range(len(bodies)))

    def worker() -> None:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        mine: list[float] = []
        codes: collections.Counter[int] = collections.Counter()
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            started = time.perf_counter()
            connection.request("POST", url.path, body=bodies[index], headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            codes[response.status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(codes)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(json.dumps({"elapsed": elapsed, "latencies": latencies, "statuses": dict(statuses)}))


if __name__ == "__main__":
    main()
