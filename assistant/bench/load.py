"""The load generator of `assistant bench`'s /v1/ask figures, run as a process of its own.

A server's clients are other programs: driving /v1/ask from threads of the server's own process
timed the client's Python work too (it took the server's GIL for every request it sent and read).
This process sends the same requests over keep-alive connections from one event loop and prints
what it measured as JSON:

    python -m assistant.bench.load URL TOKEN CONCURRENCY WARMUP SEQUENTIAL < questions.json
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from typing import Any

import httpx

CHILD_LIMIT_S = 600


def drive(
    base_url: str, token: str, questions: list[str], concurrency: int, warmup: int, sequential: int
) -> Any:
    """Run the load generator in a child process: `questions[:warmup]` and `[:sequential]` one at a
    time, then the next 2 x `sequential` `concurrency` at a time. Returns its measurements."""
    command = [sys.executable, "-m", "assistant.bench.load", base_url, token]
    command += [str(concurrency), str(warmup), str(sequential)]
    child = subprocess.run(
        command,
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        timeout=CHILD_LIMIT_S,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"the load generator failed: {child.stderr.strip()[-2000:]}")
    return json.loads(child.stdout)


async def _measure(
    base_url: str, token: str, questions: list[str], concurrency: int, warmup: int, sequential: int
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=60) as client:

        async def ask(question: str) -> float | None:
            t0 = time.perf_counter()
            try:
                (await client.post("/v1/ask", json={"question": question})).raise_for_status()
            except httpx.HTTPError:
                return None
            return (time.perf_counter() - t0) * 1000

        for question in questions[:warmup]:
            await ask(question)
        one_by_one = [await ask(q) for q in questions[:sequential]]
        if None in one_by_one:
            raise RuntimeError("a question asked alone failed")
        fresh = iter(questions[sequential : 3 * sequential])
        concurrent: list[float | None] = []

        async def worker() -> None:
            for question in fresh:  # each worker takes the next question when its answer came back
                concurrent.append(await ask(question))

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return {"sequential": one_by_one, "concurrent": concurrent, "concurrent_s": time.perf_counter() - t0}


if __name__ == "__main__":
    url, bearer, *numbers = sys.argv[1:]
    c, w, s = (int(n) for n in numbers)
    print(json.dumps(asyncio.run(_measure(url, bearer, json.load(sys.stdin), c, w, s))))
