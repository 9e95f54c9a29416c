"""One shared thread pool for proof checking.

libsodium calls release the GIL (cffi does so by default), so threads give real
parallelism for the scalar multiplications that dominate every check.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def worker_pool() -> ThreadPoolExecutor:
    """The process-wide pool, one thread per CPU, created on first use."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=os.cpu_count() or 2, thread_name_prefix="ballot-crypto"
            )
        return _pool
