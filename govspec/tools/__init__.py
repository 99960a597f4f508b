"""Tools for the people who maintain the template: ``spec lint`` (:mod:`~govspec.tools.lint`), ``spec diff``
(:mod:`~govspec.tools.diff`), migration between versions (:mod:`~govspec.tools.migration`,
:mod:`~govspec.tools.migration_files`), and the generated reference docs (:mod:`~govspec.tools.docgen`).

Entry points: ``lint_file``, ``diff``, ``migration.plan`` / ``apply`` (docs/api.md).
"""
