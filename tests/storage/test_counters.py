"""Reference numbers are unique under concurrency: two processes, 500 each, on both databases."""

from __future__ import annotations

import multiprocessing as mp

from storage.counters import next_value
from storage.db import ensure_schema, make_engine, make_sessionmaker


def _allocate(url: str, n: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    got = []
    for _ in range(n):
        with sessions.begin() as session:
            got.append(next_value(session, "reference-2026"))
    engine.dispose()
    out.put(got)


def test_two_processes_allocating_500_each_get_1000_distinct_numbers(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    engine.dispose()
    ctx = mp.get_context("spawn")  # a clean interpreter: no inherited connections
    queue = ctx.Queue()
    workers = [ctx.Process(target=_allocate, args=(db_url, 500, queue)) for _ in range(2)]
    for w in workers:
        w.start()
    results = [queue.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    numbers = [n for r in results for n in r]
    assert len(numbers) == 1000
    assert len(set(numbers)) == 1000
    assert sorted(numbers) == list(range(1, 1001))  # never skipped, never reused


def test_rolled_back_allocation_is_not_half_written(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        assert next_value(session, "c") == 1
    session = sessions()
    session.begin()
    assert next_value(session, "c") == 2
    session.rollback()
    session.close()
    with sessions.begin() as session:
        assert next_value(session, "c") == 2  # the rolled-back ticket never existed
    engine.dispose()
