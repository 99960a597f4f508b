"""Safe YAML loading that remembers where every value came from (a :class:`~govspec.spec.document.YamlDocument`).

Only plain YAML data is accepted (maps, lists, strings, numbers, booleans, null).
Python tags, other custom tags and merge keys are refused with the line they are on.
Aliases are allowed, but the number of nodes visited is bounded so an alias bomb
("billion laughs") fails fast instead of exhausting memory.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from govspec.errors import SpecError
from govspec.io.instance import read_bounded
from govspec.io.values import MAX_DIGITS
from govspec.spec.document import MAX_SPEC_BYTES, Path, YamlDocument

MAX_NODES = 200_000
MAX_NUMBER_CHARACTERS = MAX_DIGITS  # a YAML integer longer than this is refused: govspec's one digit limit
MAX_DEPTH = 64
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
}

__all__ = ["MAX_SPEC_BYTES", "YamlDocument", "load_yaml", "read_spec_document"]  # (the document: spec/document)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it: same nodes, faster


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.marks: dict = {}
        self.count = 0
        self.scalars = SafeConstructor()

    def fail(self, message: str, node: yaml.Node) -> SpecError:
        return SpecError(message, source=self.source, line=node.start_mark.line + 1,
                         column=node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"too many YAML nodes (more than {MAX_NODES}); aliases expanding too far?", node)
        if len(path) > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node)
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(f"unsupported YAML tag {node.tag!r}", node)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":  # a date written unquoted: keep its text
            return node.value
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(f"unsupported YAML tag {node.tag!r}: only plain data is allowed", node)
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == "tag:yaml.org,2002:int" and len(str(node.value)) > MAX_NUMBER_CHARACTERS:
            raise self.fail(f"a number of more than {MAX_NUMBER_CHARACTERS} characters", node)
        try:
            return self.scalars.construct_object(node)
        except (ConstructorError, ValueError) as exc:  # e.g. an int too odd or too long to construct
            raise self.fail(f"cannot read value: {getattr(exc, 'problem', None) or exc}", node) from None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        if node.tag != "tag:yaml.org,2002:map":
            raise self.fail(f"unsupported YAML tag {node.tag!r}", node)
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail("merge keys ('<<') are not supported in spec files; write the keys out", key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise self.fail("mapping keys must be plain scalars", key_node)
            key = self._scalar(key_node)
            if key in result:
                raise self.fail(f"duplicate key {key!r}", key_node)
            result[key] = self.build(value_node, path + (key,))
        return result


def load_yaml(text: str, source: str) -> YamlDocument:
    """Parse one YAML document from ``text``; ``source`` names it in messages."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise SpecError(f"YAML syntax error: {exc.problem or exc.context}", source=source,
                        line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"YAML error: {exc}", source=source) from None
    except RecursionError:
        raise SpecError("YAML nested too deeply to read", source=source) from None
    if root is None:
        raise SpecError("the file is empty", source=source)
    builder = _Builder(source)
    data = builder.build(root, ())
    return YamlDocument(data=data, source=source, marks=builder.marks)


def read_spec_document(path: str | FilePath) -> YamlDocument:
    """A spec file read as a YAML document (size-limited, UTF-8, safe loading); raises SpecError."""
    source = str(path)
    raw = read_bounded(path, MAX_SPEC_BYTES, SpecError, "spec file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"spec file is not UTF-8 (byte {exc.start})", source=source) from None
    return load_yaml(text, source)
