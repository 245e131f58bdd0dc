"""Where a study's chunks run: in this process, on local processes, or on a Dask cluster.

Every executor runs ``fn(shared, *item)`` for each item and yields ``(position, result)`` as
results arrive, with at most ``window`` tasks in flight (so a study of 10^8 designs never holds
more than ``window`` chunks at once). A chunk's result depends only on its inputs, never on where
it ran, so every executor gives the same numbers; the caller puts them back in chunk order.

- :class:`InProcess`: one after the other, here (the reference, and the fastest for one chunk);
- :class:`Processes`: ``concurrent.futures.ProcessPoolExecutor`` with ``spawn`` (fresh
  interpreters: no forked numba threads);
- :class:`Dask`: a ``distributed.Client`` on a scheduler address, or on a ``LocalCluster`` it
  starts (``address="local"``: ``workers`` processes of one thread each, numba kernels on one
  thread); ``shared`` is scattered to every worker once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

Task = Callable[..., Any]


class InProcess:
    """Run every task here, in order."""

    workers = 1

    def imap(
        self, fn: Task, shared: Any, items: Sequence[tuple], window: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        for position, item in enumerate(items):
            yield position, fn(shared, *item)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Processes(InProcess):
    """``workers`` local processes (``spawn``)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))

    def imap(
        self, fn: Task, shared: Any, items: Sequence[tuple], window: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        window = window or 2 * self.workers
        pending: dict[Any, int] = {}
        todo = iter(enumerate(items))
        for position, item in todo:
            pending[self.pool.submit(fn, shared, *item)] = position
            if len(pending) >= window:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                position = pending.pop(future)
                yield position, future.result()
                nxt = next(todo, None)
                if nxt is not None:
                    pending[self.pool.submit(fn, shared, *nxt[1])] = nxt[0]

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class Dask(InProcess):
    """A Dask ``distributed`` client: on ``address``, or on a new ``LocalCluster`` of
    ``workers`` single-thread processes when ``address == "local"``."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        from distributed import Client, LocalCluster

        self.cluster = None
        if address == "local":
            self.cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # One core per worker: the numba kernels' own threads would oversubscribe it.
                env={"NUMBA_NUM_THREADS": "1"},
            )
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))

    def imap(
        self, fn: Task, shared: Any, items: Sequence[tuple], window: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        window = window or 2 * self.workers
        # A key of its own (hash=False): a scatter of equal data would share the key of an
        # earlier call's, which that call's release may drop under this one's tasks.
        remote = self.client.scatter(shared, broadcast=True, hash=False)
        todo = iter(enumerate(items))
        pending: dict[Any, int] = {}

        def submit(position: int, item: tuple) -> Any:
            future = self.client.submit(fn, remote, *item, pure=False)
            pending[future] = position
            return future

        first = []
        for position, item in todo:
            first.append(submit(position, item))
            if len(first) >= window:
                break
        running = as_completed(first)
        for future in running:
            position = pending.pop(future)
            result = future.result()
            future.release()
            yield position, result
            nxt = next(todo, None)
            if nxt is not None:
                running.add(submit(*nxt))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def executor(dask: str | None = None, workers: int | None = None) -> InProcess:
    """The executor the CLI's ``--dask`` and ``--workers`` ask for: Dask on ``dask`` (an address
    or ``"local"``), else ``workers`` local processes, else this process (``workers`` 1 or None).
    """
    if dask:
        return Dask(dask, workers)
    if workers is not None and workers > 1:
        return Processes(workers)
    return InProcess()
