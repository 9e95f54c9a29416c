"""One shared thread pool for proof checking.

libsodium calls release the GIL (cffi does so by default), so threads give real
parallelism for the scalar multiplications that dominate every check.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_PREFIX = "ballot-crypto"
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _worker_pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix=_PREFIX)
        return _pool


def pmap(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """[fn(x) for x in items], computed on the pool; results in order, the first
    exception (in order) re-raised. Runs inline when already on a pool thread, so nested
    calls cannot deadlock the pool."""
    if threading.current_thread().name.startswith(_PREFIX):
        return [fn(item) for item in items]
    return list(_worker_pool().map(fn, items))
