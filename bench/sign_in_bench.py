"""Signing in with a phone and a code over HTTP, and a member's points read with
a session's access token against the same read with an administrator-made
token.

Starts ``vpoints serve`` on a fresh SQLite database whose SMS webhook is a
server in this process (it keeps every code), imports members with phones,
then:

1. asks a code for each of ``--members`` phones (each request from its own
   client address, by ``X-Forwarded-For``, which uvicorn takes from a local
   proxy), and times that;
2. signs the phones in with their codes, driven by wrk, the codes spread
   over the wrk threads so that none is used twice while there are more
   phones than sign-ins (the first member's code is kept for step 3);
3. reads one member's points with wrk, in turns: with an administrator-made
   member token and with a session's access token, ``--rounds`` times each,
   each round in the other order.

    python bench/sign_in_bench.py --members 6000 --seconds 10 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_bench import ADMIN, LUA_SUMMARY, serve, wrk

LUA_SIGN_IN = (
    """
local bodies = {%(bodies)s}
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = id
  nthreads = %(threads)d
end
function request()
  local body = bodies[(counter %% #bodies) + 1]
  counter = counter + nthreads
  return wrk.format("POST", "/v1/auth/sms-sign-in",
    {["Content-Type"] = "application/json"}, body)
end
"""
    + LUA_SUMMARY
)

LUA_POINTS = (
    """
wrk.headers["Authorization"] = "Bearer %(token)s"
function request()
  return wrk.format("GET", "/v1/me/points?year=%(year)d")
end
"""
    + LUA_SUMMARY
)


class Gateway(BaseHTTPRequestHandler):
    """The SMS gateway: keeps the last code each phone was sent."""

    codes: ClassVar[dict[str, str]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.codes[body["phone"]] = body["code"]
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        return


def phone(n: int) -> str:
    return f"138{n:08d}"


def populate(base: str, members: int) -> tuple[str, str]:
    """Imports the members; returns the first one's id and a member token of
    theirs made by the administrator."""
    headers = {"Authorization": f"Bearer {ADMIN}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        community = client.post("/v1/communities", json={"name": "压测社区"}).json()
        rows = "".join(f"志愿者{n},{phone(n)}\n" for n in range(members))
        files = {"file": ("roster.csv", f"姓名,手机号\n{rows}".encode(), "text/csv")}
        imported = client.post(
            f"/v1/communities/{community['id']}/members/import", files=files
        )
        assert imported.is_success, imported.text
        page = client.get(
            f"/v1/communities/{community['id']}/members",
            params={"min_position": imported.json()["position"], "q": phone(0)},
        ).json()
        first = next(m for m in page["items"] if m["phone"] == phone(0))
        made = client.post(
            "/v1/tokens", json={"role": "member", "member_id": first["id"]}
        ).json()
    return first["id"], made["token"]


async def ask_codes(base: str, members: int, concurrency: int = 16) -> float:
    """Asks a code for every phone, each from an address of its own."""
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def ask(n: int) -> None:
            async with limit:
                address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
                answer = await client.post(
                    "/v1/auth/sms-code",
                    json={"phone": phone(n)},
                    headers={"X-Forwarded-For": address},
                )
                assert answer.status_code == 202, answer.text

        began = time.perf_counter()
        await asyncio.gather(*(ask(n) for n in range(members)))
        return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=6000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()
    gateway = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-sign-in-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    base = f"http://127.0.0.1:{args.port}"
    webhook = f"http://127.0.0.1:{gateway.server_port}/sms"
    os.environ["VPOINTS_SMS_WEBHOOK_URL"] = webhook
    server = serve(url, args.port)
    results: dict[str, Any] = {"members": args.members}
    try:
        member_id, made_token = populate(base, args.members)
        seconds = asyncio.run(ask_codes(base, args.members))
        results["codes_asked_per_s"] = round(args.members / seconds)
        deadline = time.monotonic() + 60
        while len(Gateway.codes) < args.members and time.monotonic() < deadline:
            time.sleep(0.1)
        results["codes_delivered"] = len(Gateway.codes)
        # The first member's code is kept for the session the reads use.
        bodies = ",".join(
            "'" + json.dumps({"phone": p, "code": c}) + "'"
            for p, c in sorted(Gateway.codes.items())
            if p != phone(0)
        )
        signed = wrk(base, LUA_SIGN_IN % {"bodies": bodies, "threads": 2}, args.seconds)
        results["sign_ins_per_s"] = round(signed["rate"])
        results["sign_ins"] = signed["requests"]
        results["sign_in_errors"] = signed["errors"]
        kept = {"phone": phone(0), "code": Gateway.codes[phone(0)]}
        session = httpx.post(f"{base}/v1/auth/sms-sign-in", json=kept).json()
        assert session["member_id"] == member_id, session
        year = time.gmtime().tm_year
        rounds = []
        tokens = [
            ("administrator-made token", made_token),
            ("session access token", session["access_token"]),
        ]
        for round_ in range(1, args.rounds + 1):
            # Each round in the other order, so that neither always goes first.
            for label, token in tokens if round_ % 2 else tokens[::-1]:
                read = wrk(
                    base, LUA_POINTS % {"token": token, "year": year}, args.seconds
                )
                rounds.append(
                    {
                        "round": round_,
                        "token": label,
                        "points_per_s": round(read["rate"]),
                        "errors": read["errors"],
                    }
                )
        results["points_reads"] = rounds
        made = [r["points_per_s"] for r in rounds if r["token"].startswith("admin")]
        own = [r["points_per_s"] for r in rounds if r["token"].startswith("session")]
        results["session_over_made"] = [
            round(o / m, 2) for o, m in zip(own, made, strict=True)
        ]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        gateway.shutdown()
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
