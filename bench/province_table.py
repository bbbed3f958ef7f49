"""The table of the province bench's results: size against cost at each scale
measured, and the full province extrapolated from the two largest."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from province_reads import READS


def size_text(value: float) -> str:
    if value >= 10 * 1024**3:
        return f"{value / 1024**3:,.0f} GB"
    if value >= 1024**3:
        return f"{value / 1024**3:.1f} GB"
    return f"{value / 1024**2:,.0f} MB"


def seconds_text(value: float) -> str:
    return f"{value:,.0f} s" if value < 600 else f"{value / 60:,.0f} min"


def scale_text(scale: float) -> str:
    return f"1/{round(1 / scale)}" if scale < 1 else f"{scale:g}"


def cells(r: dict[str, Any]) -> list[str]:
    rebuild = r["rebuild_s"]
    return [
        f"{r['events']:,.0f}",
        f"{r['attendances']:,.0f}",
        size_text(r["log_bytes"]),
        size_text(r["read_model_bytes"]),
        seconds_text(r["write_s"]),
        f"{seconds_text(rebuild)} ({r['rebuild_events'] / rebuild:,.0f}/s)",
        " / ".join(
            f"{r[k]:,.0f}"
            for k in ("write_peak_rss_mb", "rebuild_peak_rss_mb", "server_peak_rss_mb")
        ),
        *(latency_text(r["reads"][name]) for name in READS),
    ]


def served(read: dict[str, Any]) -> bool:
    """Whether wrk saw every answer succeed, and enough of them for a p99."""
    return bool(read["non2xx"] == 0 and read["requests"] >= 100)


def latency_text(read: dict[str, Any]) -> str:
    if "requests" not in read:
        return str(read.get("note", "—"))
    if not served(read):
        return f"{read['requests']} answered, {read['non2xx']} non-2xx"
    return f"{read['p50_ms']:.1f} / {read['p99_ms']:.1f}"


def extrapolated(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """The full scale: counts, disk, times and memory on the straight line
    through the two scales (memory never below the larger scale's); each read's
    latency on the power law through them (latency = c * scale ** k)."""
    step = (1 - large["scale"]) / (large["scale"] - small["scale"])
    decades = math.log(1 / large["scale"]) / math.log(large["scale"] / small["scale"])

    def line(key: str) -> float:
        return float(large[key] + (large[key] - small[key]) * step)

    def power(name: str) -> dict[str, Any]:
        low, high = small["reads"][name], large["reads"][name]
        if not (served(low) and served(high)):
            return {"note": f"not served at {scale_text(large['scale'])}"}
        return {"requests": high["requests"], "non2xx": 0} | {
            key: high[key] * (high[key] / low[key]) ** decades
            for key in ("p50_ms", "p99_ms")
        }

    keys = (
        "events",
        "attendances",
        "log_bytes",
        "read_model_bytes",
        "write_s",
        "rebuild_events",
        "rebuild_s",
    )
    memory = ("write_peak_rss_mb", "rebuild_peak_rss_mb", "server_peak_rss_mb")
    return (
        {key: line(key) for key in keys}
        | {key: max(line(key), large[key]) for key in memory}
        | {"reads": {name: power(name) for name in READS}}
    )


def table(path: Path) -> None:
    by_scale: dict[float, dict[str, Any]] = {}
    for text in path.read_text(encoding="utf-8").splitlines():
        if text.strip():
            r = json.loads(text)
            by_scale[r["scale"]] = r
    rows = [by_scale[scale] for scale in sorted(by_scale)]
    header = [
        "scale",
        "events",
        "attendances",
        "log",
        "read models",
        "write",
        "rebuild (events/s)",
        "peak RSS MB: write / rebuild / server",
        *(f"{name} p50 / p99 ms" for name in READS),
    ]
    print("| " + " | ".join(header) + " |")
    print("| --- | " + " | ".join("---:" for _ in header[1:]) + " |")
    for r in rows:
        print("| " + " | ".join([scale_text(r["scale"]), *cells(r)]) + " |")
    if len(rows) >= 2 and rows[-1]["scale"] < 1:
        full = extrapolated(rows[-2], rows[-1])
        print("| " + " | ".join(["full scale, extrapolated", *cells(full)]) + " |")
    print()
    print("| scale | " + " | ".join(READS) + " |")
    print("| --- | " + " | ".join("---:" for _ in READS) + " |")
    for r in rows:
        each = [
            f"{read['rate']:,.0f}/s; {read['solo_p50_ms']:.1f} / "
            f"{read['solo_p99_ms']:.1f}"
            for read in (r["reads"][name] for name in READS)
        ]
        print("| " + " | ".join([scale_text(r["scale"]), *each]) + " |")
