"""Load a spec: reference → file (:mod:`govspec.spec.resolver`) → safe YAML → meta-schema → extension
merged into its base → model → compiled spec."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from govspec.errors import did_you_mean
from govspec.records import record
from govspec.spec import parsed, resolver
from govspec.spec.compiler import CompiledSpec, compile_spec
from govspec.spec.document import YamlDocument
from govspec.spec.extension import merge
from govspec.spec.model import build_spec
from govspec.spec.resolver import SpecNotFound

SCHEMA_DIR = Path(__file__).parent / "schemas"
META_SCHEMA_VERSION = 1
MAX_EXTENDS_DEPTH = 8


@cache
def meta_schema() -> dict:
    with open(SCHEMA_DIR / f"spec-{META_SCHEMA_VERSION}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def meta_errors(doc: YamlDocument):
    """Yield a :class:`SpecError` for each meta-schema violation, in document order."""
    if not isinstance(doc.data, dict):
        yield doc.error("a spec is a YAML mapping (key: value) at the top level")
        return
    version = doc.data.get("govspec_spec")
    if version != META_SCHEMA_VERSION:
        yield doc.error(f"govspec_spec must be {META_SCHEMA_VERSION} (the meta-schema version), not {version!r}",
                        ("govspec_spec",))
        return
    import jsonschema  # here: a run that loads only shipped specs never needs it
    validator = jsonschema.Draft7Validator(meta_schema())
    # In document order; at one place, an unknown key first: it is usually a misspelt required one.
    errors = sorted(validator.iter_errors(doc.data),
                    key=lambda e: (doc.position(tuple(e.absolute_path)), e.validator != "additionalProperties"))
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for key in error.instance:
                if key not in allowed:
                    yield doc.error(f"unknown key {key!r}{did_you_mean(str(key), allowed)}", path + (key,))
        elif error.validator == "required":
            yield doc.error(error.message.replace("is a required property", "is required here"), path)
        else:
            yield doc.error(error.message, path)


def load_document(path: str | Path, depth: int = 0, *, shipped: bool = False) -> YamlDocument:
    """A spec file's document, meta-checked, with an extension merged into its base.  The shipped specs are
    not meta-checked at run time: the test suite checks them (``spec lint``), and start-up stays short."""
    doc = parsed.document(path) if shipped else _read(path)  # shipped: its parsed copy, when current
    for error in () if shipped else meta_errors(doc):
        raise error
    if "extends" in doc.data:
        doc = merge(doc, base_document(doc, depth))
        for error in () if shipped else meta_errors(doc):
            raise error
    return doc


def base_document(doc: YamlDocument, depth: int = 0) -> YamlDocument:
    """The document of the spec that ``doc`` extends, itself merged if it extends another."""
    if depth >= MAX_EXTENDS_DEPTH:
        raise doc.error(f"extensions nested more than {MAX_EXTENDS_DEPTH} deep (a cycle?)", ("extends",))
    reference = doc.data["extends"]
    try:
        where = resolver.locate(reference, relative_to=Path(doc.source).parent)
    except SpecNotFound as exc:
        names = [f"{e.id}@{e.version}" for e in resolver.catalogue()]
        raise doc.error(f"extends: no shipped spec {reference!r}{did_you_mean(reference, names)} "
                        f"(give ID@VERSION, or a path ending in .yaml): {exc.message}", ("extends",)) from None
    base = _read(where.path) if where.how == "option" else parsed.document(where.path)  # shipped: its copy
    if isinstance(base.data, dict) and "extends" in base.data:
        base = merge(base, base_document(base, depth + 1))
    return base


def _read(path: str | Path) -> YamlDocument:
    """A spec file read as YAML (PyYAML: imported by the first one read; shipped specs are read from their copies)."""
    from govspec.spec.yamlsource import read_spec_document
    return read_spec_document(path)


def load_spec_file(path: str | Path) -> CompiledSpec:
    """Load, meta-check and compile one spec file; raises :class:`SpecError`."""
    return compile_spec(build_spec(load_document(path)))


@cache
def _load_cached(path: Path, shipped: bool = False) -> CompiledSpec:
    return compile_spec(build_spec(load_document(path, shipped=shipped)))


def load_file(path: Path, shipped: bool = False) -> CompiledSpec:
    """A spec file compiled once per process (the same object for the same path)."""
    return _load_cached(path, shipped)


@record
class Selection:
    spec: CompiledSpec
    how: str  # "option" (a file), "version" (named), "year" (picked by report year), "newest"


def load(ref: str, version: str | None = None, year: int | None = None, *, newest: bool = False) -> Selection:
    """The compiled spec a reference means (see :func:`govspec.spec.resolver.locate`), compiled once per
    process and file."""
    if not resolver.is_file_reference(ref) and isinstance(version, (str, type(None))) and \
            isinstance(year, (int, type(None))):
        return _shipped_selection(ref, version, year, newest)
    where = resolver.locate(ref, version, year, newest=newest)
    if where.how == "option":
        return Selection(_load_cached(where.path), where.how)
    return Selection(_load_cached(where.path.resolve(), True), where.how)


@lru_cache(maxsize=1024)
def _shipped_selection(ref: str, version: str | None, year: int | None, newest: bool) -> Selection:
    """A shipped spec's selection, worked out once per reference, version and year: the detailed path asks for
    each report, and finding the file took some 100 µs a report (the specs' folder resolved, link by link).  The
    shipped catalogue is read once per process too (:func:`govspec.spec.resolver.catalogue`); an unknown reference
    raises, and is not kept."""
    where = resolver.locate(ref, version, year, newest=newest)
    return Selection(_load_cached(where.path.resolve(), True), where.how)


@cache
def shipped() -> tuple[CompiledSpec, ...]:
    """Every shipped spec, compiled (once per process), ordered by id and version."""
    return tuple(_load_cached(entry.path.resolve(), True) for entry in resolver.catalogue())
