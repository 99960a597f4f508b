"""Load a spec file: read → safe YAML → meta-schema → model → compiled spec."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

from govspec.spec.compiler import CompiledSpec, compile_spec
from govspec.errors import SpecError, did_you_mean
from govspec.spec.extension import merge
from govspec.spec.model import build_spec
from govspec.spec.yamlsource import YamlDocument, load_yaml

SCHEMA_DIR = Path(__file__).parent / "schemas"
META_SCHEMA_VERSION = 1
MAX_SPEC_BYTES = 5_000_000


@lru_cache(maxsize=None)
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


def read_spec_document(path: str | Path) -> YamlDocument:
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError("spec file not found", source=source) from None
    except OSError as exc:
        raise SpecError(f"cannot read spec file: {exc.strerror}", source=source) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError(f"spec file larger than {MAX_SPEC_BYTES} bytes", source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"spec file is not UTF-8 (byte {exc.start})", source=source) from None
    return load_yaml(text, source)


def load_document(path: str | Path) -> YamlDocument:
    """A spec file's document, meta-checked, with an extension merged into its base."""
    doc = read_spec_document(path)
    for error in meta_errors(doc):
        raise error
    if "extends" in doc.data:
        doc = merge(doc)
        for error in meta_errors(doc):
            raise error
    return doc


def load_spec_file(path: str | Path) -> CompiledSpec:
    """Load, meta-check and compile one spec file; raises :class:`SpecError`."""
    return compile_spec(build_spec(load_document(path)))
