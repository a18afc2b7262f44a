"""A small thread-safe, bounded memo for results that depend only on a data version.

Streamlit serves many tabs from threads of one process: shared results are computed once per
key and never mutated afterwards; the oldest are forgotten beyond `size`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """Results by key, computed on first use, the least recently used dropped beyond `size`."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for `key`, computing it (outside the lock) when it is not known yet."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything (tests and benchmarks start cold with it)."""
        with self._lock:
            self._items.clear()


VIEW_RESULTS: Memo[object] = Memo(4096)
"""Results computed on demand from a cached dashboard view (per rater), keyed by the view's key."""
