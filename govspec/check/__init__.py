"""Checking reports: cells, metadata and rules of one report (:mod:`~govspec.check.report`), a batch with
its fast path (:mod:`~govspec.check.batch`, :mod:`~govspec.check.fastpath`), rules across reports
(:mod:`~govspec.check.across`) and reviewed exceptions (:mod:`~govspec.check.accept`).

Internal modules; entry points: ``govspec.validate`` and ``govspec.iter_findings``,
``govspec.check.batch.Validator``, ``govspec.check.accept.load`` / ``Acceptances`` (docs/api.md).
"""
