"""Read the package's YAML files strictly, fast and with the parser's own line numbers.

libyaml (PyYAML's C parser) composes the document into nodes; nothing is constructed from them,
so no value is typed implicitly: every scalar stays the string written (`NO` is "NO", `012` and
`1e9` are strings that the number fields then refuse). The nodes are checked against a schema
written here: unknown keys are refused with the nearest valid key, duplicate keys, flow style,
explicit tags and aliases are refused, each with the line the parser gives. It is linear in the
size of the file (the garbage collector is paused while the nodes are built, since its passes over
a growing tree of nodes would make it quadratic).

Measured here on annotations of 1,000 to 8,000 claims (4,000 claims make a 1 MB file): strictyaml,
which this replaces, took 2.9 s for 1,000 claims (quadratic: the review measured 63 s for 4,000);
for 4,000, ruamel.yaml's round-trip loader took 3.5 s and libyaml's composer 0.11 s.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pledges import files
from pledges.errors import nearest

MAX_BYTES = 16 * 1024 * 1024  # a 4,000-claim annotation is 1 MB
# Characters YAML does not allow in a document (YAML 1.2, 5.1): most C0 and C1 controls; and the
# line separators U+0085, U+2028 and U+2029, which the parser counts as line breaks and most
# editors do not, so that no line number could point at the right line for both.
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# After unescaping ("\\e[31m"), a value may hold no control character but tab and newline.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class YamlError(Exception):
    """A YAML file that cannot be read as its schema says, with the line (1-based, 0 if none)."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


@dataclass
class Node:
    """A composed value: a string, a list of Nodes or a mapping of key -> Node, with its line."""

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def data(self):
        """The plain value: str, list or dict, all the way down."""
        if isinstance(self.value, list):
            return [n.data for n in self.value]
        if isinstance(self.value, dict):
            return {k: n.data for k, n in self.value.items()}
        return self.value

    def __getitem__(self, key):
        return self.value[key]

    def get(self, key, default=None):
        return self.value[key] if key in self else default

    def __contains__(self, key) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def __iter__(self):
        return iter(self.value)

    def key_line(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# ---------------------------------------------------------------------------------------- schema

class Str:
    """A scalar, kept as written (surrounding whitespace removed by the readers that want it)."""


class Line:
    """A scalar that is one line of text: a line break or tab in it is refused (a name, a title, a
    version: values that other files, such as CITATION.cff, write on one line)."""


class CommaSeparated:
    """A scalar of comma-separated values ("FR-IDF, FR-PAC"), read as a list of strings."""


@dataclass(frozen=True)
class Seq:
    item: object


@dataclass(frozen=True)
class Map:
    required: dict
    optional: dict = field(default_factory=dict)

    @property
    def keys(self) -> set[str]:
        return set(self.required) | set(self.optional)


@dataclass(frozen=True)
class Dict:
    """A mapping whose keys are names chosen by the file (metric names), each value read by `value`."""

    value: object


@dataclass(frozen=True)
class AnyMap:
    """A mapping whose keys are free (package metadata): only its values' shapes are read."""


def schema_keys(*schemas) -> set[str]:
    """Every key the schemas allow, for the "did you mean" of an unknown key."""
    keys: set[str] = set()
    for schema in schemas:
        if isinstance(schema, Map):
            keys |= schema.keys
            keys |= schema_keys(*schema.required.values(), *schema.optional.values())
        elif isinstance(schema, Seq):
            keys |= schema_keys(schema.item)
        elif isinstance(schema, Dict):
            keys |= schema_keys(schema.value)
    return keys


# ------------------------------------------------------------------------------------------ load

DEFAULT_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
                "tag:yaml.org,2002:null", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge",
                "tag:yaml.org,2002:value"}


MAX_DEPTH = 16  # the package's files nest four levels; deeper is refused before it is built


def _compose(text: str) -> yaml.Node | None:
    """The document's nodes, built from libyaml's events one at a time (no recursion), refusing
    aliases and a nesting deeper than MAX_DEPTH as soon as the parser reaches them: a deeply
    nested file is an error at its line, never a crash of the parser's own recursive composer."""
    paused = gc.isenabled()
    gc.disable()
    stack: list[tuple[yaml.Node, list]] = []
    found: yaml.Node | None = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            start, end = _marks(event)
            line = start.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(line, "a second document (---): one document per file")
            elif isinstance(event, yaml.AliasEvent):
                raise YamlError(line, "an alias (*name) repeats a value; write it out")
            elif isinstance(event, yaml.ScalarEvent):
                plain = event.tag is None and event.style is None and event.value == ""
                tag = event.tag or ("tag:yaml.org,2002:null" if plain else "tag:yaml.org,2002:str")
                _attach(stack, yaml.ScalarNode(tag, event.value, start, end, event.style))
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, f"nested more than {MAX_DEPTH} levels deep; the package's files use four")
                kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
                tag = event.tag or ("tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map")
                stack.append((kind(tag, [], start, end, event.flow_style), []))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                node, items = stack.pop()
                node.value = items if isinstance(node, yaml.SequenceNode) else list(zip(items[::2], items[1::2]))
                if stack:
                    stack[-1][1].append(node)
                else:
                    found = node
        return found if found is not None else _lone_scalar(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(mark.line + 1 if mark else 0, " ".join(filter(None, (error.context, error.problem)))) from None
    except yaml.YAMLError as error:
        raise YamlError(0, str(error)) from None
    finally:
        if paused:
            gc.enable()


def _marks(event) -> tuple[Any, Any]:
    """An event's start and end marks (the C parser's, which the stubs type apart from the Python parser's)."""
    return event.start_mark, event.end_mark


def _attach(stack, node) -> None:
    if stack:
        stack[-1][1].append(node)


def _lone_scalar(text: str) -> yaml.Node | None:
    """A document that is one scalar (or empty): composed by libyaml, which cannot nest it."""
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _convert(node: yaml.Node, schema, path: str, seen: set[int], keys: set[str]) -> Node:
    line = node.start_mark.line + 1
    if schema is None and isinstance(node, yaml.MappingNode):
        schema = AnyMap()  # free metadata: mappings of text
    if id(node) in seen:
        raise YamlError(line, f"{path}: repeats the value at line {line} through an alias (*name); write it out")
    seen.add(id(node))
    if node.tag not in DEFAULT_TAGS:
        raise YamlError(line, f"{path}: explicit tag {node.tag!r} is not allowed; write the value plainly")
    if isinstance(schema, (Map, AnyMap, Dict)):
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise YamlError(line, f"{path}: expected a block mapping (key: value lines)"
                            + (", found flow style {...}" if isinstance(node, yaml.MappingNode) else ""))
        values: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, f"{path}: a key must be plain text")
            key, key_line = key_node.value, key_node.start_mark.line + 1
            bad = unprintable(key)
            if bad:
                raise YamlError(key_line, f"{path or 'document'}: a key holds a control or format character, "
                                f"{describe_character(bad)}", "remove it (or its escape sequence) from the key")
            if key in values:
                raise YamlError(key_line, f"{path}: Duplicate key '{key}' found (first at line {key_lines[key]})")
            if isinstance(schema, Map) and key not in schema.keys:
                raise YamlError(key_line, f"unexpected key not in schema '{key}'",
                                nearest(key, keys) or "remove it; the keys an annotation may use are in README")
            child = (schema.required.get(key) or schema.optional.get(key)) if isinstance(schema, Map) \
                else schema.value if isinstance(schema, Dict) else None
            values[key] = _convert(value_node, child, f"{path}.{key}" if path else key, seen, keys)
            key_lines[key] = key_line
        if isinstance(schema, Map):
            missing = [k for k in schema.required if k not in values]
            if missing:
                raise YamlError(line, f"{path or 'document'}: required key '{missing[0]}' not found")
        return Node(values, line, key_lines)
    if isinstance(schema, Seq):
        if isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith(":null"):
            return Node([], line)  # "claims:" with nothing under it
        if not isinstance(node, yaml.SequenceNode) or node.flow_style:
            raise YamlError(line, f"{path}: expected a block list (- item lines)"
                            + (", found flow style [...]" if isinstance(node, yaml.SequenceNode) else ""))
        return Node([_convert(n, schema.item, f"{path}[{i}]", seen, keys) for i, n in enumerate(node.value)], line)
    if isinstance(node, yaml.ScalarNode):
        bad = unprintable(node.value)
        if bad:
            raise YamlError(line, f"{path} holds a control or format character, {describe_character(bad)}",
                            "remove it (or its escape sequence) from the value")
        if schema is Line and ("\n" in node.value or "\t" in node.value):
            what = "line break" if "\n" in node.value else "tab"
            raise YamlError(line, f"{path} holds a {what}; it is one line of text",
                            "write it on one line, without escape sequences")
        if schema is CommaSeparated:
            return Node([Node(part.strip(), line) for part in node.value.split(",") if part.strip()], line)
        return Node(node.value, line)
    if schema is None and isinstance(node, yaml.SequenceNode) and not node.flow_style:  # free metadata
        return Node([_convert(n, None, f"{path}[{i}]", seen, keys) for i, n in enumerate(node.value)], line)
    kind = "flow style" if getattr(node, "flow_style", False) else "a list or mapping"
    raise YamlError(line, f"{path}: expected text, found {kind}")


def unprintable(text: str) -> str | None:
    """The first control character (but tab and newline) or format character (Unicode category
    Cf: bidirectional overrides, zero-width spaces and joiners, the BOM) in `text`, or None: such
    characters can make a published text read otherwise than it is, so none is accepted."""
    bad = CONTROL.search(text) or format_characters().search(text)
    return bad.group() if bad else None


@functools.cache
def format_characters() -> re.Pattern:
    """Every character of Unicode's category Cf (format), as one character class (made once)."""
    found = (chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    return re.compile("[" + "".join(re.escape(c) for c in found) + "]")


def describe_character(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def read(root: Path, relative: str, schema) -> Node:
    """A YAML file of the package, through the safe file layer, checked before it is parsed (its
    size, the characters YAML does not allow, its depth) and after (every value printable, the
    schema); raises YamlError with the line, or files.Unsafe."""
    return parse(files.read_bytes(root, relative, MAX_BYTES), schema)


def parse(raw: bytes, schema) -> Node:
    """The document in the bytes of a YAML file, with every check of `read`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(raw.count(b"\n", 0, error.start) + 1,
                        f"not UTF-8 text (byte {raw[error.start]:#04x})") from None
    bad = NOT_YAML.search(text)
    if bad:
        raise YamlError(text.count("\n", 0, bad.start()) + 1, "control character YAML does not allow: "
                        f"{describe_character(bad.group())}", "delete it")
    return load(text, schema)


def load(text: str, schema) -> Node:
    """The document in `text`, checked against `schema`; raises YamlError with the line."""
    node = _compose(text)
    if node is None:
        raise YamlError(1, "the file is empty")
    return _convert(node, schema, "", set(), schema_keys(schema))
