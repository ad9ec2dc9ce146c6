"""YAML scenario files -> validated scenarios with a built graph.

Teachers and learners write these files, so every problem becomes a
``ScenarioError`` carrying the file, line, column and a one-line hint, never
a traceback. YAML is composed (not constructed) with PyYAML's safe loader, so
no object can be built from a file; anchors and aliases are refused (they
allow alias bombs), duplicate keys are refused (PyYAML would silently keep
the last), and expressions go through the whitelist in ``tutor.engine.expr``.
"""

from __future__ import annotations

import difflib
import keyword
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.resolver import Resolver

try:  # libyaml's C parser: several times faster; the composer and every check stay in Python
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)

from tutor.engine.expr import ExprError, build, count_ops, normalize_name, parse
from tutor.engine.graph import Graph
from tutor.engine.ops import FUNCTIONS
from tutor.scenario.visible import quoted, visible

if TYPE_CHECKING:
    from tutor.scenario.data import DataSet

MAX_BYTES = 2 * 1024 * 1024
"""Largest scenario file read, in bytes."""
MAX_NODES = 50_000
"""Largest graph built from a file, in primitive nodes (leaves included)."""
MAX_YAML_DEPTH = 20
"""Deepest YAML nesting accepted; a scenario needs three levels."""

KEYS = (
    "title", "description", "inputs", "params", "network", "nodes", "output", "learning_rate", "notes", "view",
    "layers", "data", "batch_size", "shuffle",
)
VIEWS = ("expanded", "groups", "neurons")

_NUMBER = re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$")


class ScenarioError(Exception):
    """A problem in a scenario file, at a 1-based line and column."""

    def __init__(self, path: str, line: int, col: int, message: str, hint: str = "") -> None:
        # Names and values quoted from the file are made visible here, so a
        # message is always one printable line (no newline, escape sequence,
        # bidi override or lone surrogate reaches the terminal).
        message = visible(message)
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.col = col
        self.message = message
        self.hint = visible(hint)

    def __str__(self) -> str:
        return f"{visible(self.path)}:{self.line}:{self.col}: error: {self.message}"

    def report(self) -> str:
        """The error line, plus the hint on an indented second line."""
        return str(self) + (f"\n    hint: {self.hint}" if self.hint else "")


@dataclass(slots=True)
class Scenario:
    """A loaded scenario: its settings, its source positions and its graph."""

    path: str
    name: str
    title: str
    description: str
    inputs: dict[str, float]
    params: dict[str, float]
    nodes: dict[str, str]
    output: str
    graph: Graph
    learning_rate: float = 0.1
    notes: dict[str, str] = field(default_factory=dict)
    view: str | None = None
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Where each name is defined: (line, col), 1-based."""
    layers: tuple[tuple[str, ...], ...] | None = None
    """Declared network layers (``network:`` or ``layers:``): input names, then each layer's neuron nodes."""
    data: DataSet | None = None
    """Rows to train on (``data:``); None when the scenario has no data set."""
    batch_size: int | None = None
    """Rows per training step; None means every row in one batch."""
    shuffle: int | None = None
    """Seed for shuffling the rows before each epoch; None keeps file order."""

    @property
    def leaves(self) -> dict[str, float]:
        return {**self.inputs, **self.params}

    @property
    def named(self) -> list[str]:
        """Every leaf and named node, in the author's order."""
        return [*self.inputs, *self.params, *self.nodes]


# --- YAML composition with the safety checks -----------------------------


class _Loader(Composer, _Parser, Resolver):
    """Composes nodes only, refusing anchors, aliases and deep nesting.

    Events come from libyaml when it is installed (PyYAML's own parser
    otherwise); composing them into nodes, with the checks below, is done
    here in Python either way, so the rules and positions are the same.
    """

    def __init__(self, stream: str, path: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        Resolver.__init__(self)
        self._path = path
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        mark = event.start_mark
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise ScenarioError(
                self._path,
                mark.line + 1,
                mark.column + 1,
                "YAML anchors and aliases (& and *) are not allowed",
                "write each value out in full",
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise ScenarioError(
                self._path,
                mark.line + 1,
                mark.column + 1,
                f"YAML is nested too deeply (more than {MAX_YAML_DEPTH} levels)",
                "a scenario needs only a mapping of mappings",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _at(path: str, node: Node, message: str, hint: str = "") -> ScenarioError:
    mark = node.start_mark
    return ScenarioError(path, mark.line + 1, mark.column + 1, message, hint)


def _scalar_position(source: str, node: ScalarNode, offset: int) -> tuple[int, int]:
    """The (line, col) in ``source`` of character ``offset`` of a scalar's value.

    Follows YAML line folding, where a line break and the spaces around it
    read as one space, so a plain or quoted expression written over several
    lines still points at the right token. Falls back to where the value
    starts when it cannot be lined up with the source (block scalars, escapes).
    """
    start = node.start_mark
    if node.style in ("|", ">"):
        return start.line + 1, start.column + 1
    i = start.index + (1 if node.style in ("'", '"') else 0)
    for char in node.value[:offset]:
        if i >= len(source):
            return start.line + 1, start.column + 1
        run = i
        while run < len(source) and source[run] in " \r\n":
            run += 1
        if char == " " and "\n" in source[i:run]:
            i = run
        elif char == source[i]:
            i += 1
        else:
            return start.line + 1, start.column + 1
    line = source.count("\n", 0, i) + 1
    return line, i - (source.rfind("\n", 0, i) + 1) + 1


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
    "\ud800-\udfff]|\r(?!\n)"
)
"""Characters refused anywhere in a file: controls (tab aside), YAML's extra
line breaks (they would shift every line number), bidi overrides, a byte
order mark past the start, non-characters."""

_UNPRINTABLE_VALUE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
"""Characters refused in a value, where double-quoted escapes (``"\\x1b"``) can put them."""


def _describe_char(char: str) -> str:
    code = ord(char)
    if char == "\ufeff":
        return "a byte order mark (U+FEFF) in the middle of the file"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"a bidirectional control character {visible(char)} (U+{code:04X})"
    if char in "\ufffe\uffff":
        return f"a non-character {visible(char)} (U+{code:04X})"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate {visible(char)} (U+{code:04X})"
    if char in "\u2028\u2029\x85\r":
        return f"an unusual line break {visible(char)} (U+{code:04X})"
    return f"a control character {visible(char)} (U+{code:04X})"


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_characters(text: str, path: str) -> None:
    """Refuse tabs and invisible characters before YAML sees the text."""
    tab = text.find("\t")
    bad = _UNPRINTABLE.search(text)
    if tab >= 0 and (bad is None or tab < bad.start()):
        line, col = _line_col(text, tab)
        raise ScenarioError(path, line, col, "tab character", "indent YAML with spaces, not tabs")
    if bad is not None:
        line, col = _line_col(text, bad.start())
        raise ScenarioError(
            path, line, col, f"{_describe_char(bad.group()[0])} is not allowed",
            "delete it (retype the line if you cannot see it)",
        )


def _check_scalars(root: Node, path: str) -> None:
    """Refuse values whose escapes (``"\\x1b[2J"``, ``"\\ud800"``) make invisible characters."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            bad = _UNPRINTABLE_VALUE.search(node.value)
            if bad is not None:
                raise _at(
                    path, node, f"{_describe_char(bad.group())} is not allowed in {quoted(node.value, 30)}",
                    "remove the escape that writes it",
                )
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(value)
                stack.append(key)
        else:
            stack.extend(node.value)


def _compose(text: str, data: bytes, path: str) -> Node | None:
    _check_characters(text, path)
    loader = None
    try:
        loader = _Loader(text, path)
        return loader.get_single_node()
    except ScenarioError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
        at_end = mark is not None and mark.index >= len(text.rstrip())
        if at_end and exc.context and exc.context_mark and exc.context_mark.index < mark.index:
            # An error at the very end of the file ("unexpected end of stream")
            # is about something left unfinished: point at where it starts
            # (the unclosed quote or bracket, the key missing its colon).
            mark = exc.context_mark
            if "end of stream" in problem or "<stream end>" in problem:
                problem = f"{exc.context}, the file ends before it is closed"
            else:
                problem = f"{exc.context}: {problem}"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError(
            path, line, col, f"YAML syntax error: {problem}", "check indentation, colons and quotes"
        ) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, min(max(exc.position, 0), len(text)))
        raise ScenarioError(path, line, col, f"YAML error: {exc.reason}", "delete the character") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, 1, 1, f"YAML error: {exc}") from None
    except RecursionError:
        raise ScenarioError(path, 1, 1, "YAML is nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_duplicates(root: Node, path: str) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        raise _at(
                            path,
                            key,
                            f"duplicate key {quoted(key.value)} (first defined on line {first})",
                            "each key may appear only once; remove or rename one",
                        )
                    seen[key.value] = key
                stack.append(value)
        elif isinstance(node.value, list):
            stack.extend(node.value)


# --- values ----------------------------------------------------------------

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"


def _number(node: Node, path: str, what: str) -> float:
    """A finite number from a scalar node, or a ScenarioError saying why not."""
    if not isinstance(node, ScalarNode):
        raise _at(path, node, f"{what} must be a number, not a {'list' if node.id == 'sequence' else 'mapping'}")
    if node.tag == _BOOL:
        raise _at(path, node, f"{what} must be a number, not the boolean {visible(node.value, 20)}", "write 1 or 0")
    if node.tag == _NULL:
        raise _at(path, node, f"{what} has no value", "write a number after the colon")
    text = node.value.strip()
    if node.tag in (_INT, _FLOAT) or (node.tag == _STR and node.style is None and _NUMBER.match(text)):
        try:
            if node.tag in (_INT, _FLOAT):
                value = float(yaml.constructor.SafeConstructor().construct_object(node))
            else:
                value = float(text.replace("_", ""))
        except OverflowError:  # an integer too large for a float
            value = math.inf
        except (ValueError, TypeError):
            try:  # Python refuses int() of thousands of digits; float() reads them as inf
                value = float(text.replace("_", ""))
            except ValueError:
                raise _at(path, node, f"{what}: {quoted(node.value)} is not a number", "write a plain number such as 1.5") from None
        if not math.isfinite(value):
            too_large = not ("nan" in text.lower() or "inf" in text.lower())
            raise _at(
                path, node,
                f"{what} is too large: {quoted(node.value, 30)}" if too_large else f"{what} must be a finite number, not {visible(node.value, 60)}",
                "use a number below 1e308" if too_large else "nan and inf are not allowed",
            )
        return value
    raise _at(path, node, f"{what} must be a number, not {quoted(node.value)}", "write a plain number such as 1.5")


def _text(node: Node, path: str, what: str) -> str:
    if not isinstance(node, ScalarNode) or node.tag == _NULL:
        raise _at(path, node, f"{what} must be text")
    return node.value


def _mapping(node: Node, path: str, what: str, allow_empty: bool = True) -> list[tuple[Node, Node]]:
    if isinstance(node, ScalarNode) and node.tag == _NULL and allow_empty:
        return []
    if not isinstance(node, MappingNode):
        raise _at(
            path, node, f"'{what}' must be a mapping of name: value lines", "one 'name: value' per line, indented"
        )
    return node.value


def _name(key: Node, path: str, section: str) -> str:
    if not isinstance(key, ScalarNode) or key.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
        raise _at(path, key, f"names in '{section}' must be plain identifiers")
    raw = key.value
    name = normalize_name(raw)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise _at(
            path,
            key,
            f"{quoted(raw)} is not a valid name",
            "names start with a letter or _ and contain letters, digits and _ (any script)",
        )
    if name in FUNCTIONS:
        raise _at(path, key, f"{quoted(name)} is a function name and cannot name a value", f"rename it, e.g. {name}_value")
    return name


# --- the loader ------------------------------------------------------------


def loads(text: str | bytes, path: str = "<scenario>") -> Scenario:
    """Parse and validate scenario text; raise ScenarioError on any problem.

    The error's line and column always lie inside the text (a position past
    the end is moved back to the end of the last line).
    """
    # A str may hold lone surrogates: they reach the UTF-8 check below as bytes.
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    try:
        return _loads(data, path)
    except ScenarioError as error:
        _clamp(error, data)
        raise


def _clamp(error: ScenarioError, data: bytes) -> None:
    """Keep ``error``'s position on a line and column that exist in ``data``."""
    lines = data.split(b"\n")
    if len(lines) > 1 and not lines[-1].strip():
        lines.pop()  # nothing after the last newline
    line = min(max(error.line, 1), len(lines))
    width = len(lines[line - 1].decode("utf-8", errors="replace").rstrip("\r"))
    col = min(max(error.col, 1), width + 1) if line == error.line else width + 1
    error.line, error.col = line, col


def _loads(data: bytes, path: str) -> Scenario:
    if len(data) > MAX_BYTES:
        raise ScenarioError(path, 1, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", "split the scenario")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise ScenarioError(path, line, col, "file is not valid UTF-8", "save the file with UTF-8 encoding") from None
    if "\x00" in decoded:
        line, col = _position(data, data.index(b"\x00"))
        raise ScenarioError(path, line, col, "file contains a NUL byte", "is this a text file?")

    root = _compose(decoded, data, path)
    if root is None:
        raise ScenarioError(path, 1, 1, "file is empty", "a scenario needs at least 'nodes' and 'output'")
    _check_scalars(root, path)
    if not isinstance(root, MappingNode):
        raise _at(path, root, "the top level must be a mapping (key: value lines)", "start with title:, inputs:, nodes:")
    _check_duplicates(root, path)

    sections: dict[str, tuple[Node, Node]] = {}
    for key, value in root.value:
        if not isinstance(key, ScalarNode) or key.value not in KEYS:
            shown = key.value if isinstance(key, ScalarNode) else "?"
            close = difflib.get_close_matches(str(shown)[:100], KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(KEYS)
            raise _at(path, key, f"unknown key {quoted(shown)}", hint)
        sections[key.value] = (key, value)
    for required in ("nodes", "output"):
        if required not in sections and not (required == "nodes" and "network" in sections):
            # Reported at the top-level mapping: the end of the block mapping
            # lands on a trailing comment or blank line, or on an unrelated key.
            raise _at(
                path, root, f"missing '{required}'",
                "a scenario needs 'nodes' (name: expression lines) and 'output' (the node to differentiate)",
            )

    stem = Path(path).stem if path and not path.startswith("<") else "scenario"
    title = _text(sections["title"][1], path, "title") if "title" in sections else stem
    description = _text(sections["description"][1], path, "description").strip() if "description" in sections else ""

    graph = Graph()
    positions: dict[str, tuple[int, int]] = {}
    leaves: dict[str, dict[str, float]] = {"inputs": {}, "params": {}}

    def define(name: str, key: Node) -> None:
        if name in positions:
            line = positions[name][0]
            raise _at(path, key, f"{quoted(name)} is defined twice (first on line {line})", "give each value its own name")
        positions[name] = (key.start_mark.line + 1, key.start_mark.column + 1)

    for section, kind in (("inputs", "input"), ("params", "param")):
        if section not in sections:
            continue
        for key, value in _mapping(sections[section][1], path, section):
            name = _name(key, path, section)
            define(name, key)
            number = _number(value, path, f"{kind} '{name}'")
            leaves[section][name] = number
            graph.add_leaf(name, kind, number)
            if len(graph) > MAX_NODES:
                raise _at(path, key, f"scenario has more than {MAX_NODES:,} nodes", "make the graph smaller")

    expressions: dict[str, str] = {}
    layers = None
    if "network" in sections:
        from tutor.scenario.network import build_network

        expressions, layers = build_network(
            sections["network"][1], path, graph, leaves["inputs"], leaves["params"], define, MAX_NODES
        )
    node_items = []
    if "nodes" in sections:
        node_items = _mapping(sections["nodes"][1], path, "nodes", allow_empty="network" in sections)
        if not node_items and "network" not in sections:
            raise _at(path, sections["nodes"][1], "'nodes' is empty", "add at least one node, e.g. total: a + b")
    names = [_name(key, path, "nodes") for key, _ in node_items]
    # Kept up to date as nodes are read (rebuilding them per node is quadratic).
    scope = {n: graph.index[n] for n in positions}
    later = set(names)
    for (key, value), name in zip(node_items, names):
        define(name, key)
        later.discard(name)
        if not isinstance(value, ScalarNode) or value.tag in (_BOOL, _NULL):
            raise _at(path, value, f"node {quoted(name)} needs an expression", "e.g. total: a + b")
        text = value.value
        try:
            tree = parse(text, scope, later, own_name=name)
        except ExprError as exc:
            offset = 0 if "\n" in text else exc.offset
            line, col = _scalar_position(decoded, value, offset)
            raise ScenarioError(path, line, col, f"in {quoted(name)}: {exc.message}", exc.hint) from None
        if len(graph) + count_ops(tree) > MAX_NODES:
            raise _at(
                path, key, f"scenario has more than {MAX_NODES:,} primitive nodes", "make the graph smaller"
            )
        members = build(graph, name, tree)
        graph.add_group(name, members)
        scope[name] = graph.index[name]
        expressions[name] = text.strip()

    out_key, out_node = sections["output"]
    output = _text(out_node, path, "output").strip()
    if normalize_name(output) not in positions:
        close = difflib.get_close_matches(output[:100], list(positions), n=1) if len(positions) < 2000 else []
        hint = f"did you mean {quoted(close[0])}?" if close else "output names one of the nodes"
        raise _at(path, out_node, f"output {quoted(output)} is not defined", hint)
    output = normalize_name(output)
    graph.output = graph.index[output]

    learning_rate = 0.1
    if "learning_rate" in sections:
        node = sections["learning_rate"][1]
        learning_rate = _number(node, path, "learning_rate")
        if learning_rate <= 0:
            raise _at(path, node, "learning_rate must be positive", "e.g. learning_rate: 0.1")

    notes: dict[str, str] = {}
    if "notes" in sections:
        for key, value in _mapping(sections["notes"][1], path, "notes"):
            name = normalize_name(str(key.value))
            if name not in positions:
                raise _at(path, key, f"note for unknown name {quoted(key.value)}", "notes are keyed by input or node names")
            notes[name] = _text(value, path, f"note for '{name}'").strip()

    view = None
    if "view" in sections:
        node = sections["view"][1]
        view = _text(node, path, "view").strip()
        if view not in VIEWS:
            raise _at(path, node, f"view must be one of {', '.join(VIEWS)}, not {quoted(view)}", f"e.g. view: {VIEWS[0]}")

    if "layers" in sections:
        if layers is not None:
            raise _at(path, sections["layers"][0], "a network: already declares its layers", "remove layers:")
        layers = _declared_layers(sections["layers"][1], path, positions, graph)
    if view == "neurons" and layers is None:
        from tutor.engine.neurons import infer

        if infer(graph) is None:
            raise _at(
                path, sections["view"][1], "view: neurons needs a net: no nodes have the shape activation(Σ w·x + b)",
                "write the net with network:, or list its layers with layers:",
            )
    data = batch_size = shuffle = None
    if "data" in sections or "batch_size" in sections or "shuffle" in sections:
        from tutor.scenario.data import parse_batch_size, parse_data, parse_shuffle

        if "data" in sections:
            data = parse_data(sections["data"][1], path, leaves["inputs"])
        if "batch_size" in sections:
            batch_size = parse_batch_size(sections["batch_size"][1], path)
        if "shuffle" in sections:
            shuffle = parse_shuffle(sections["shuffle"][1], path)

    return Scenario(
        path=path,
        name=stem,
        title=title,
        description=description,
        inputs=leaves["inputs"],
        params=leaves["params"],
        nodes=expressions,
        output=output,
        graph=graph,
        learning_rate=learning_rate,
        notes=notes,
        view=view,
        positions=positions,
        layers=layers,
        data=data,
        batch_size=batch_size,
        shuffle=shuffle,
    )


def _declared_layers(node: Node, path: str, positions: dict[str, tuple[int, int]], graph: Graph):
    """``layers:`` of a hand-written net, each neuron checked to be activation(Σ w·x + b)."""
    from tutor.engine.neurons import NotANeuron, from_layers
    from tutor.scenario.network import parse_layers

    layers = parse_layers(node, path, positions)
    try:
        from_layers(graph, layers)
    except NotANeuron as exc:
        items = [item for row in node.value for item in row.value]
        where = next((item for item in items if normalize_name(str(item.value).strip()) == exc.name), node)
        raise _at(path, where, exc.message, "a neuron is activation(w1 * x1 + ... + b), each w a param") from None
    return layers


def load(path: str | Path) -> Scenario:
    """Load a scenario file; unreadable files become ScenarioError too.

    Only regular files are read (a FIFO would block, ``/dev/zero`` never
    ends), and never more than ``MAX_BYTES`` + 1 bytes.
    """
    name = str(path)
    too_large = f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB"
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            raise ScenarioError(name, 1, 1, _not_a_file(os.stat(name).st_mode), "give the path of a .yaml file")
        # O_NONBLOCK: should a FIFO be put in place between the stat and the
        # open, the open returns at once and fstat refuses it.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise ScenarioError(name, 1, 1, _not_a_file(mode), "give the path of a .yaml file")
            chunks: list[bytes] = []
            size = 0
            while size <= MAX_BYTES:
                chunk = os.read(fd, MAX_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except ScenarioError:
        raise
    except OSError as exc:
        raise ScenarioError(name, 1, 1, f"cannot read file: {exc.strerror or exc}", "check the path") from None
    except ValueError as exc:  # a NUL in the path
        raise ScenarioError(name, 1, 1, f"cannot read file: {exc}", "check the path") from None
    if size > MAX_BYTES:
        raise ScenarioError(name, 1, 1, too_large, "split the scenario")
    return loads(b"".join(chunks), name)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a scenario file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"
