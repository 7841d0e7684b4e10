"""Web app under load: 50 concurrent clients for 30 s against pair and library pages.

    python benchmarks/bench_web.py [--articles 10000] [--clients 50] [--seconds 30]

Builds a library of synthetic articles (as bench_library.py), starts `copydesk serve --fast`
in its own process on a free loopback port, opens each planted pair once (so pair pages are
cached, as the goal states), then runs the clients in this process: each loops over pair
pages and library pages (search words, outlet filter, later pages) and times every request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import machine, write_section
from bench_library import build, percentile, sentence_pool

from copydesk.settings import FAST, Settings

LIBRARY_QUERIES = ("/", "/?q=police", "/?q=said+year", "/?page_no=7", "/?q=government&page_no=2", "/?since=2020-01-01")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "copydesk.cli", "serve", "--db", str(db), "--port", str(port), "--fast"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"server did not start: {server.stderr.read().decode()[-2000:]}")


class Connection:
    """A bare keep-alive HTTP/1.1 client: the load generator shares the machine's 2 cores with the
    server, so it must cost far less per request than the server (httpx costs about as much)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(port: int, pairs: list[str], clients: int, seconds: float) -> dict:
    timings: dict[str, list[float]] = {"pair": [], "library": []}
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        rng = random.Random(n)
        connection = Connection("127.0.0.1", port)
        while time.monotonic() < stop:
            kind = "pair" if rng.random() < 0.5 else "library"
            url = rng.choice(pairs) if kind == "pair" else rng.choice(LIBRARY_QUERIES)
            started = time.perf_counter()
            try:
                status = await connection.get(url)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
                status = f"{type(exc).__name__}"
                connection.close()
                connection = Connection("127.0.0.1", port)
            timings[kind].append(1000 * (time.perf_counter() - started))
            if status != 200:
                errors.append(f"{url}: {status}")
        connection.close()

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.monotonic() - started
    every = timings["pair"] + timings["library"]
    return {
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:3],
        **{
            f"{kind}_{stat}_ms": round(fn(values), 1)
            for kind, values in (("all", every), *timings.items())
            for stat, fn in (("p50", statistics.median), ("p95", lambda v: percentile(v, 0.95)))
        },
    }


def open_pair(base: str, url: str) -> None:
    """A pair page as a user reaches it: the first view is a job page, then the pair once compared."""
    response = httpx.get(base + url, timeout=60, follow_redirects=False)
    if response.status_code == 303:
        job_id = response.headers["location"].rsplit("/", 1)[-1]
        while httpx.get(f"{base}/api/jobs/{job_id}", timeout=60).json()["status"] in ("queued", "running"):
            time.sleep(0.05)
        response = httpx.get(base + url, timeout=60)
    response.raise_for_status()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc: this benchmark needs Linux")


def oversized_uploads(port: int, pid: int, megabytes: int = 200) -> dict:
    """A `megabytes` upload to /api/compare, declared and chunked: each must be refused (413) at
    once, the server's peak memory must hardly move, and it must go on answering."""
    chunk = b" " * (1 << 20)

    def body():
        yield b'{"source": {"text": "'
        for _ in range(megabytes):
            yield chunk

    figures = {}
    for name, headers in (("declared", {"content-length": str(megabytes * len(chunk) + 21)}), ("chunked", {})):
        before = peak_rss_mb(pid)
        started = time.perf_counter()
        try:
            status = httpx.post(f"http://127.0.0.1:{port}/api/compare", content=body(),
                                headers={"content-type": "application/json", **headers}, timeout=120).status_code
        except httpx.HTTPError as exc:  # the server may close the connection while we still send
            status = type(exc).__name__
        figures[f"upload_{name}_status"] = status
        figures[f"upload_{name}_s"] = round(time.perf_counter() - started, 2)
        figures[f"upload_{name}_peak_rss_growth_mb"] = round(peak_rss_mb(pid) - before, 1)
    figures["answers_after_uploads"] = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=10).status_code
    figures["upload_mb"] = megabytes
    return figures


def largest_compare(port: int, pid: int, max_bytes: int) -> dict:
    """Two texts just under max_bytes each through /api/compare (the largest body accepted): the
    job must end (the sentence ceiling refuses them) in bounded time and memory."""
    base = f"http://127.0.0.1:{port}"
    text = ("The council met on Tuesday and approved the budget for the bridge. " * (max_bytes // 70))[: max_bytes - 100]
    before = peak_rss_mb(pid)
    started = time.perf_counter()
    job = httpx.post(f"{base}/api/compare", json={"source": {"text": text}, "derived": {"text": text[::-1]}},
                     timeout=120).json()
    while job.get("status") not in ("done", "failed") and time.perf_counter() - started < 600:
        time.sleep(0.5)
        job = httpx.get(f"{base}/api/jobs/{job['id']}", timeout=30).json()
    return {
        "largest_compare_status": job.get("status"),
        "largest_compare_s": round(time.perf_counter() - started, 1),
        "largest_compare_peak_rss_growth_mb": round(peak_rss_mb(pid) - before, 1),
        "largest_compare_message": (job.get("message") or "")[:140],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--pairs", type=int, default=40, help="distinct pair pages in the mix")
    args = parser.parse_args()
    settings = Settings.load(**FAST)
    with tempfile.TemporaryDirectory() as tmp:
        library, built, planted = build(args.articles, sentence_pool(), settings, Path(tmp))
        library.close()
        print(json.dumps(built), flush=True)
        port = free_port()
        server = start_server(Path(tmp) / f"lib-{args.articles}.db", port)
        base = f"http://127.0.0.1:{port}"
        try:
            pairs = [f"/pairs/{source}/{derived}" for derived, source in planted[: args.pairs]]
            first = []
            for url in pairs:  # the first view starts a compare job; later views render the kept result
                started = time.perf_counter()
                open_pair(base, url)
                first.append(1000 * (time.perf_counter() - started))
            uncached = []
            for url in LIBRARY_QUERIES:  # first views, before the app keeps them (5 s)
                started = time.perf_counter()
                httpx.get(base + url, timeout=60).raise_for_status()
                uncached.append(1000 * (time.perf_counter() - started))
            figures = asyncio.run(load(port, pairs, args.clients, args.seconds))
            figures["first_pair_view_p50_ms"] = round(statistics.median(first), 1)
            figures["first_library_view_p50_ms"] = round(statistics.median(uncached), 1)
            figures["first_library_view_max_ms"] = round(max(uncached), 1)
            figures.update(oversized_uploads(port, server.pid))  # started without a shell: its own pid
            figures.update(largest_compare(port, server.pid, settings.max_bytes))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    figures.update(articles=args.articles, clients=args.clients, seconds=args.seconds, pairs=len(pairs))
    print(json.dumps(figures), flush=True)
    write_section(
        "web",
        "\n".join([
            "## web app under load (`benchmarks/bench_web.py`)",
            "",
            f"Machine: {machine()}; server and clients share it. `copydesk serve --fast` (one process) over a",
            f"{args.articles:,}-article library (synthetic, as above); {args.clients} concurrent clients on loopback for",
            f"{args.seconds:.0f} s, each picking a pair page (one of {len(pairs)} planted pairs, opened once beforehand so",
            "the comparison is cached) or a library page (search words, a later page, a date filter) at random. The app",
            "keeps a library page's results for 5 s, so under this load most library requests reuse them; the last",
            "columns time first views alone (a compare job with static embeddings, then the page; a search the app has not kept).",
            "",
            "| requests | requests/s | errors | all p50 / p95 | pair page p50 / p95 | library page p50 / p95 | first pair view p50 | first library view p50 / max |",
            "|---|---|---|---|---|---|---|---|",
            f"| {figures['requests']:,} | {figures['requests_per_s']} | {figures['errors']} | {figures['all_p50_ms']} / "
            f"{figures['all_p95_ms']} ms | {figures['pair_p50_ms']} / {figures['pair_p95_ms']} ms | {figures['library_p50_ms']}"
            f" / {figures['library_p95_ms']} ms | {figures['first_pair_view_p50_ms']} ms | {figures['first_library_view_p50_ms']}"
            f" / {figures['first_library_view_max_ms']} ms |",
            "",
            f"Oversized uploads: {figures['upload_mb']} MB posted to `/api/compare`, with its length declared and chunked;",
            "the body is counted as it arrives and refused past the limit (2 × max_bytes + 64 KiB). Goal: refused,",
            "with the server's peak memory growing under 50 MB, and the server answering after.",
            "",
            "| upload | status | seconds | server peak memory growth |",
            "|---|---|---|---|",
            *(f"| {name} | {figures[f'upload_{name}_status']} | {figures[f'upload_{name}_s']} |"
              f" {figures[f'upload_{name}_peak_rss_growth_mb']} MB |" for name in ("declared", "chunked")),
            "",
            f"Health check after both: {figures['answers_after_uploads']}.",
            "",
            "The largest compare the API accepts: two texts just under `max_bytes` each, posted as one job. It must",
            "end in bounded time and memory (the sentence ceiling refuses such texts):"
            f" {figures['largest_compare_status']} after {figures['largest_compare_s']} s, server peak memory"
            f" +{figures['largest_compare_peak_rss_growth_mb']} MB (\"{figures['largest_compare_message']}\").",
        ]),
    )


if __name__ == "__main__":
    main()
