"""A bounded YAML reader with YAML 1.2 style scalars.

PyYAML's safe loader follows YAML 1.1: ``010`` is 8, ``0x10`` is 16,
``12:30`` is 750 and ``yes`` is true, and an alias-heavy "anchor bomb" of a
few kilobytes expands into gigabytes. Scenario files are typed by planners,
so this loader:

- resolves only decimal integers, decimal or exponent floats, ``.inf`` and
  ``.nan``, ``true``/``false`` and ``null``/``~``; everything else is a
  string (``010``, ``0x10`` and ``12:30`` stay text and fail their field's
  check instead of silently changing value);
- limits nesting depth, the size of the document once aliases are expanded
  and the bytes read; an integer of more digits than any quantity needs stays
  text, for its field to refuse;
- refuses duplicate keys in a mapping (the later one would silently win).

Every violation is a `yaml.YAMLError` with the line of the offending node.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from sd_model.scenario.errors import Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "load_text",
    "read_yaml_file",
    "yaml_problem",
]

MAX_DEPTH = 32  # scenario.yaml nests 3 levels; 32 leaves room and stops recursion bombs
MAX_NODES = 20_000  # nodes after alias expansion (the reference file has ~60)
MAX_INT_DIGITS = 30  # beyond any physical quantity; Python refuses > 4300 digits anyway
MAX_FILE_BYTES = 1_000_000

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class _Resolver(BaseResolver):
    """YAML 1.2 core-schema resolution (no octal, hex, sexagesimal, yes/no, merge keys)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Resolver.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _BoundedComposer(Composer):
    """Counts depth and expanded size while composing, so bombs stop early."""

    _depth = 0
    _weights: dict[int, int]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if not hasattr(self, "_weights"):
            self._weights = {}
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]  # from Parser
                raise ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels", mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None:
            self._weigh(node)
        return node

    def _weigh(self, node: Node) -> None:
        if id(node) in self._weights:  # an alias: its whole expansion counts again
            weight = self._weights[id(node)]
        elif isinstance(node, SequenceNode):
            weight = 1 + sum(self._weights.get(id(n), 1) for n in node.value)
        elif isinstance(node, MappingNode):
            weight = 1 + sum(
                self._weights.get(id(k), 1) + self._weights.get(id(v), 1) for k, v in node.value
            )
        else:
            weight = 1
        self._weights[id(node)] = weight
        if weight > MAX_NODES:
            raise ComposerError(
                None,
                None,
                f"a document larger than {MAX_NODES} values once aliases are expanded",
                node.start_mark,
            )


class _StrictConstructor(SafeConstructor):
    """Scalars by the YAML 1.2 rules above; duplicate keys refused."""

    def construct_yaml_int(self, node: ScalarNode) -> int | str:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        digits = text.lstrip("+-")
        if not _INT.match(text):
            raise ConstructorError(None, None, f"a decimal integer, got {text!r}", node.start_mark)
        if len(digits) > MAX_INT_DIGITS:
            return text  # left as typed: the field's own check names it (and int() is quadratic)
        return int(text)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        text = str(self.construct_scalar(node))
        if not _FLOAT.match(text) and not _INT.match(text):
            raise ConstructorError(None, None, f"a decimal number, got {text!r}", node.start_mark)
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))

    def construct_yaml_bool(self, node: ScalarNode) -> bool:
        text = str(self.construct_scalar(node))
        if text not in _BOOL:
            raise ConstructorError(None, None, f"true or false, got {text!r}", node.start_mark)
        return _BOOL[text]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                raise ConstructorError(
                    None, None, "a key that is a plain value", key_node.start_mark
                ) from None
            if duplicate:
                raise ConstructorError(
                    None, None, f"each key once, found {key!r} again", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


for _tag, _method in (
    ("tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", _StrictConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:bool", _StrictConstructor.construct_yaml_bool),
):
    _StrictConstructor.add_constructor(_tag, _method)  # type: ignore[type-var]


class BoundedLoader(Reader, Scanner, Parser, _BoundedComposer, _StrictConstructor, _Resolver):
    """PyYAML loader assembled from the bounded composer, strict constructor and resolver."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self)
        _StrictConstructor.__init__(self)
        _Resolver.__init__(self)


def load_text(text: str) -> Any:
    r"""Parse one YAML document with the limits of this module.

    Raises
    ------
    yaml.YAMLError
        For a syntax error or a broken limit, with its line where known.

    Examples
    --------
    >>> load_text("a: 010\nb: 0x10\nc: 12:30\nd: 1e3\ne: yes")
    {'a': 10, 'b': '0x10', 'c': '12:30', 'd': 1000.0, 'e': 'yes'}
    """
    if len(text) > MAX_FILE_BYTES:
        raise yaml.YAMLError(f"a text of at most {MAX_FILE_BYTES:,} characters")
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise yaml.YAMLError(f"nesting of at most {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def read_yaml_file(path: Path) -> Any:
    """Read a UTF-8 YAML file with the limits of this module.

    Raises
    ------
    yaml.YAMLError
        For a file that is too large, not UTF-8, or not valid bounded YAML.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise yaml.YAMLError(f"a file of at most {MAX_FILE_BYTES:,} bytes, found {size:,}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise yaml.YAMLError(
            f"UTF-8 text (byte {error.start} on line {line} is not UTF-8: {error.reason}; "
            "save the file as UTF-8)"
        ) from None
    return load_text(text)


def yaml_problem(path: Path, error: yaml.YAMLError) -> Problem:
    """A located `Problem` for a YAML file that could not be read."""
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    if mark is not None:
        return Problem(str(path), f"valid YAML ({reason} at line {mark.line + 1})")
    return Problem(str(path), f"valid YAML ({reason})")
