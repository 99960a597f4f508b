"""Files in and out: bytes to text (:mod:`~govspec.io.decoding`), instances and their limits
(:mod:`~govspec.io.instance`), values written as text (:mod:`~govspec.io.values`), readers of JSON, JSON
Lines and CSV (:mod:`~govspec.io.readers`), writers and atomic writes (:mod:`~govspec.io.writers`), the
JSON Schema of instances (:mod:`~govspec.io.instance_schema`).

Internal modules (docs/api.md says what is public).
"""
