"""Extraction speed: messages/s over 1,000 typical reports, pipeline load time, peak RSS.

Run from the project root:  .venv/bin/python bench/extract_speed.py [--count 1000]

Reads the reports listed in corpus/*/dev.jsonl (never the held-out split), repeats them to
``--count`` reports, parses them once (email parsing is not extraction), then times extraction
alone on one core.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_RATE = 300.0
TARGET_LOAD_S = 2.0
TARGET_RSS_MB = 300.0


def dev_report_paths(corpus: Path) -> list[Path]:
    """Report files named by the dev gold files (held-out reports are never read here)."""
    paths: list[Path] = []
    for gold in sorted(corpus.glob("*/dev.jsonl")):
        for line in gold.read_text("utf-8").splitlines():
            if line.strip():
                path = gold.parent / json.loads(line)["file"]
                if path.is_file():
                    paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="reports to extract")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()

    started = time.perf_counter()
    import spacy  # noqa: F401 - timed on its own: most of the load is spaCy's own import

    from bot.classifier import load_extractor  # the import is part of the load

    imported = time.perf_counter()
    extractor = load_extractor()
    loaded = time.perf_counter()

    from bot.report_text import report_from_path

    paths = dev_report_paths(args.corpus)
    if not paths:
        print(f"no dev reports under {args.corpus}", file=sys.stderr)
        return 1
    reports = [report_from_path(p) for p in paths]
    batch = list(islice(cycle(reports), args.count))
    chars = sum(len(r.body) + len(r.subject) + len(r.quoted) for r in batch)

    extractor.extract(batch[0])  # warm-up: first call touches lazy caches
    begin = time.perf_counter()
    for report in batch:
        extractor.extract(report)
    elapsed = time.perf_counter() - begin

    rate = len(batch) / elapsed
    load_total = loaded - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_msg_ms = elapsed * 1000 / len(batch)
    print(f"reports: {len(batch)} ({len(paths)} dev reports, {chars / len(batch):.0f} chars avg)")
    print(f"extraction: {rate:.0f} msgs/s ({per_msg_ms:.2f} ms/msg)  target >= {TARGET_RATE:.0f}")
    print(
        f"load: {load_total:.2f} s (import spaCy {imported - started:.2f} s + "
        f"load_extractor {loaded - imported:.2f} s)  target < {TARGET_LOAD_S:.0f} s"
    )
    print(f"peak RSS: {rss_mb:.0f} MB  target < {TARGET_RSS_MB:.0f} MB")
    ok = rate >= TARGET_RATE and load_total < TARGET_LOAD_S and rss_mb < TARGET_RSS_MB
    print("OK" if ok else "BELOW TARGET")
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
