"""A batch on a Dask cluster: the executor that sends the units of a batch to dask.distributed workers.

    from govspec.dask import executor
    with executor("tcp://scheduler:8786") as run:          # or a distributed.Client: DaskExecutor(client)
        Validator(executor=run).run(["reports/"])           # govspec validate … --scheduler ADDRESS
        dataset.export(["reports/"], "ds", Options(executor=run))   # govspec export … --scheduler ADDRESS

What is partitioned: the units of :mod:`govspec.check.parallel` (files; JSON Lines files cut into byte ranges),
each read, extracted and validated by a worker.  What is reduced here, in the client: the results, back in
input order, and the rules across reports and copies, judged over the whole batch by body and year — so the
results are those of one process, report by report.  Workers need govspec (and the extras the inputs need)
installed; a spec given as a file must be readable at the same path on every worker.  Needs the ``dask``
extra: ``pip install 'govspec[dask]'``.  docs/scale.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from govspec.dataset.needs import need
from govspec.errors import GovspecError


class DaskExecutor:
    """Applies a function to units on a Dask cluster, results in the order of the units.

    Consecutive units travel together as one task (at most :data:`GROUP`, and never so many that the cluster's
    worker threads get fewer than :data:`TASKS_PER_THREAD` tasks each): a task costs the client, the scheduler
    and the worker a few milliseconds of their own, as much as validating a small file.  ``ahead`` tasks are in
    flight (8 per worker thread, at least 16), finished ones kept by the workers until taken in order, so that
    the client's memory stays flat."""

    def __init__(self, client: Any, ahead: int | None = None) -> None:
        self.client = client
        self.ahead = ahead

    @property
    def workers(self) -> int:
        """The cluster's worker threads (what ``--jobs`` is for local processes)."""
        return max(1, sum(self.client.nthreads().values()))

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        workers = self.workers
        window = self.ahead or max(16, 8 * workers)
        units = list(items)
        size = max(1, min(GROUP, len(units) // (TASKS_PER_THREAD * workers)))
        pending: deque = deque()
        for start in range(0, len(units), size):
            pending.append(self.client.submit(apply_each, function, units[start:start + size], pure=False))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


GROUP = 8  # units in one task at most
TASKS_PER_THREAD = 8  # tasks each worker thread gets at least, when there are units enough


def apply_each(function: Callable[[Any], Any], units: list) -> list:
    """A task: ``function`` applied to consecutive units, on a worker."""
    return [function(unit) for unit in units]


CONNECT_SECONDS = 20  # how long to try to reach a scheduler


def executor(address: str, timeout: float | None = None) -> DaskExecutor:
    """A :class:`DaskExecutor` on the scheduler at ``address`` (``tcp://host:8786``); a scheduler that cannot be
    reached (within ``timeout`` seconds, :data:`CONNECT_SECONDS` by default) is a
    :class:`~govspec.errors.GovspecError` (exit 3)."""
    distributed = need("distributed")
    try:
        client = distributed.Client(address, timeout=timeout or CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise GovspecError(f"cannot reach the Dask scheduler at {address} ({exc})",
                           zh=f"无法连接 Dask 调度器 {address}（{exc}）") from None
    return DaskExecutor(client)
