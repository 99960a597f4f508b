"""Tools for the people who maintain the template: ``spec lint`` (:mod:`~govspec.tools.lint`), ``spec diff``
(:mod:`~govspec.tools.diff`), migration between versions (:mod:`~govspec.tools.migration`,
:mod:`~govspec.tools.migration_files`), the generated reference docs (:mod:`~govspec.tools.docgen`) and the shipped
specs' parsed copies (:mod:`~govspec.tools.parsed`).

Entry points: ``lint_file``, ``diff``, ``migration.plan`` / ``apply`` (docs/api.md).
"""
