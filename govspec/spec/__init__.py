"""The spec: a YAML file becomes a compiled spec.

reference → :mod:`~govspec.spec.resolver` (which file) → :mod:`~govspec.spec.yamlsource` (safe YAML with
line numbers) → :mod:`~govspec.spec.loader` (meta-schema, extension merged into its base) →
:mod:`~govspec.spec.model` (tables, rows, columns, cells) → :mod:`~govspec.spec.compiler` (rules parsed,
expanded and resolved to cells, once).

Internal modules; the public entry points are ``govspec.load_spec``, ``govspec.load_spec_file``,
``govspec.list_specs`` and ``govspec.CompiledSpec`` (docs/api.md).
"""
