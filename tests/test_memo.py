"""The shared memo of cached views: bounded, least recently used first out, safe under threads."""

from __future__ import annotations

import threading

from ipt_fidelity.training.memo import Memo


def test_the_least_recently_used_goes_first() -> None:
    memo: Memo[int] = Memo(2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 99)  # "a" is used again: "b" is now the oldest
    memo.get("c", lambda: 3)
    assert memo.get("a", lambda: -1) == 1
    assert memo.get("b", lambda: -2) == -2  # forgotten, computed again


def test_many_threads_see_one_consistent_memo() -> None:
    memo: Memo[int] = Memo(8)
    seen: list[int] = []
    start = threading.Barrier(16)

    def reader(i: int) -> None:
        start.wait()
        for k in range(200):
            key = (i + k) % 12
            value = memo.get(key, lambda key=key: key * 10)
            seen.append(value == key * 10)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(seen) and len(seen) == 16 * 200
    assert len(memo._items) <= 8
