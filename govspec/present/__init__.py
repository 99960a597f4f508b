"""What people and programs read: the words (:mod:`~govspec.present.wording`), the reporters of ``govspec
validate`` (text, JSON, CSV: :mod:`~govspec.present.reporters`), ``render``, the ``audit`` page and the
spec listings.

Internal modules; entry points: ``govspec.message`` and ``govspec.present.render.render_html`` /
``render_markdown`` (docs/api.md).
"""
