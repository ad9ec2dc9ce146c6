"""YAML scenario files -> validated scenarios with a built graph.

Teachers and learners write these files, so every problem becomes a
``ScenarioError`` carrying the file, line, column and a one-line hint, never
a traceback. The YAML is composed into nodes (never objects) with the safety
checks in ``compose``; this module turns those nodes into a ``Scenario``, and
expressions go through the whitelist in ``tutor.engine.expr``.
"""

from __future__ import annotations

import warnings
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from yaml.nodes import MappingNode, Node, ScalarNode

from tutor.engine.expr import ExprError, build, count_ops, normalize_name, parse
from tutor.engine.graph import Graph
from tutor.engine.network import NotANeuron, from_layers, infer
from tutor.engine.spelling import closest
from tutor.i18n import pick
from tutor.records import record
from tutor.scenario.compose import byte_position, check_duplicates, check_scalars, compose, scalar_position
from tutor.scenario.errors import Problems, ScenarioError, error_at
from tutor.scenario import data as data_section  # deferred: only a file with data: needs it
from tutor.scenario import network as network_section  # deferred: only a file with network: needs it
from tutor.scenario.files import NotReadable, read_limited
from tutor.scenario.notes import Note, read_notes
from tutor.scenario.texts import EVERY, read_texts
from tutor.scenario.values import BOOL_TAG, NULL_TAG, read_mapping, read_name, read_number, read_text
from tutor.scenario.visible import quoted

if TYPE_CHECKING:
    from tutor.scenario.data import DataSet

MAX_BYTES = 2 * 1024 * 1024
"""Largest scenario file read, in bytes."""
MAX_NODES = 50_000
"""Largest graph built from a file, in primitive nodes (leaves included)."""

KEYS = (
    "title", "description", "inputs", "params", "network", "nodes", "output", "learning_rate", "notes", "view",
    "layers", "data", "batch_size", "shuffle", "order",
)
VIEWS = ("expanded", "groups", "neurons")



@record(frozen=False, slots=True)
class Scenario:
    """A loaded scenario: its settings, its source positions and its graph.

    ``title`` and ``description`` are the current language's text (see
    ``tutor.scenario.texts``); ``titles`` and ``descriptions`` hold every
    language's, by code (``""``: one text for every language).
    """

    path: str
    name: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    inputs: dict[str, float]
    params: dict[str, float]
    nodes: dict[str, str]
    output: str
    graph: Graph
    learning_rate: float = 0.1
    notes: dict[str, Note] = field(default_factory=dict)
    """Name -> its note's text for the forward and the backward pass (see ``notes``)."""
    view: str | None = None
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Where each name is defined: (line, col), 1-based."""
    order: float | None = None
    """The scenario's place in lesson order (lists sort by it, then by name)."""
    layers: tuple[tuple[str, ...], ...] | None = None
    """Declared network layers (``network:`` or ``layers:``): input names, then each layer's neuron nodes."""
    data: DataSet | None = None
    """Rows to train on (``data:``); None when the scenario has no data set."""
    batch_size: int | None = None
    """Rows per training step; None means every row in one batch."""
    shuffle: int | None = None
    """Seed for shuffling the rows before each epoch; None keeps file order."""
    files: tuple[str, ...] = ()
    """Every file the scenario was read from: the scenario file (when read by ``load``), then its data CSV."""

    def __init__(
        self, path: str, name: str, title: str, description: str, inputs: dict[str, float], params: dict[str, float],
        nodes: dict[str, str], output: str, graph: Graph, learning_rate: float = 0.1,
        notes: dict[str, Note] | None = None, view: str | None = None,
        positions: dict[str, tuple[int, int]] | None = None, order: float | None = None,
        layers: tuple[tuple[str, ...], ...] | None = None, data: DataSet | None = None,
        batch_size: int | None = None, shuffle: int | None = None, files: tuple[str, ...] = (),
        titles: dict[str, str] | None = None, descriptions: dict[str, str] | None = None,
    ) -> None:
        """As the fields, but ``title`` and ``description`` are one text for every language, unless ``titles``
        and ``descriptions`` give them by language."""
        self.path, self.name = path, name
        self.titles = dict(titles) if titles else {EVERY: title}
        self.descriptions = dict(descriptions) if descriptions else {EVERY: description}
        self.inputs, self.params, self.nodes, self.output, self.graph = inputs, params, nodes, output, graph
        self.learning_rate = learning_rate
        self.notes = {} if notes is None else notes
        self.view = view
        self.positions = {} if positions is None else positions
        self.order, self.layers, self.data, self.batch_size, self.shuffle = order, layers, data, batch_size, shuffle
        self.files = files

    @property
    def title(self) -> str:
        """The title in the current language."""
        return pick(self.titles)

    @title.setter
    def title(self, text: str) -> None:
        self.titles = {EVERY: text}

    @property
    def description(self) -> str:
        """The description in the current language ("" for none)."""
        return pick(self.descriptions)

    @description.setter
    def description(self, text: str) -> None:
        self.descriptions = {EVERY: text}

    @property
    def leaves(self) -> dict[str, float]:
        return {**self.inputs, **self.params}

    @property
    def named(self) -> list[str]:
        """Every leaf and named node, in the author's order."""
        return [*self.inputs, *self.params, *self.nodes]


# --- the loader ------------------------------------------------------------


def loads(text: str | bytes, path: str = "<scenario>") -> Scenario:
    """Parse and validate scenario text; raise ScenarioError on any problem.

    The error raised is the first found; its ``errors`` hold every
    independent error of the text, in file order. Each error's line and
    column lie inside the text (a position past the end is moved back to the
    end of the last line).
    """
    # A str may hold lone surrogates: they reach the UTF-8 check below as bytes.
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    try:
        with warnings.catch_warnings():
            # Once for every expression of the file (see expr.parse's quiet=).
            warnings.simplefilter("ignore")
            return _loads(data, path)
    except ScenarioError as error:
        for each in error.errors:
            if each.path == str(path):  # not an error in the data CSV, which has lines of its own
                _clamp(each, data)
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
        line, col = byte_position(data, exc.start)
        raise ScenarioError(path, line, col, "file is not valid UTF-8", "save the file with UTF-8 encoding") from None
    if "\x00" in decoded:
        line, col = byte_position(data, data.index(b"\x00"))
        raise ScenarioError(path, line, col, "file contains a NUL byte", "is this a text file?")

    # What the file is made of: unreadable YAML, hidden characters or duplicate keys stop here.
    root = compose(decoded, data, path)
    if root is None:
        raise ScenarioError(path, 1, 1, "file is empty", "a scenario needs at least 'nodes' and 'output'")
    check_scalars(root, path)
    if not isinstance(root, MappingNode):
        raise error_at(path, root, "the top level must be a mapping (key: value lines)", "start with title:, inputs:, nodes:")
    check_duplicates(root, path)

    # From here on, every independent mistake is noted and reading goes on.
    problems = Problems()
    attempt = problems.attempt
    sections: dict[str, tuple[Node, Node]] = {}
    meant: set[str] = set()  # keys that misspelt ones were close to: not reported missing as well
    for key, value in root.value:
        if not isinstance(key, ScalarNode) or key.value not in KEYS:
            shown = key.value if isinstance(key, ScalarNode) else "?"
            close = closest(str(shown)[:100], KEYS)
            hint = f"did you mean '{close}'?" if close else "allowed keys: " + ", ".join(KEYS)
            problems.add(error_at(path, key, f"unknown key {quoted(shown)}", hint))
            meant.add(close or "")
            continue
        sections[key.value] = (key, value)
    for required in ("nodes", "output"):
        if required not in sections and required not in meant and not (required == "nodes" and "network" in sections):
            # Reported at the top-level mapping: the end of the block mapping
            # lands on a trailing comment or blank line, or on an unrelated key.
            problems.add(error_at(
                path, root, f"missing '{required}'",
                "a scenario needs 'nodes' (name: expression lines) and 'output' (the node to differentiate)",
            ))

    stem = Path(path).stem if path and not path.startswith("<") else "scenario"
    titles = {EVERY: stem}
    if "title" in sections:
        titles = attempt(read_texts, sections["title"][1], path, "title", default=titles)
    descriptions = {EVERY: ""}
    if "description" in sections:
        descriptions = attempt(read_texts, sections["description"][1], path, "description", strip=True,
                               default=descriptions)

    graph = Graph()
    positions: dict[str, tuple[int, int]] = {}
    leaves: dict[str, dict[str, float]] = {"inputs": {}, "params": {}}
    whole = True  # False once a node could not be built: the checks that read the graph (nets, data) are skipped
    # Names that the file defines but that could not be read: uses of them are not reported again.
    all_named = "nodes" in sections or "network" in sections  # False: any name may be among the missing ones
    unreadable: set[str] = set()

    def define(name: str, key: Node) -> None:
        if name in positions:
            line = positions[name][0]
            raise error_at(path, key, f"{quoted(name)} is defined twice (first on line {line})", "give each value its own name")
        positions[name] = (key.start_mark.line + 1, key.start_mark.column + 1)

    def stand_in(name: str) -> None:
        """A name whose definition is wrong still names something, so later uses of it raise no error of their own."""
        nonlocal whole
        whole = False
        scope[name] = graph.add_leaf(name, "const", 0.0)

    scope: dict[str, int] = {}
    """Every name defined so far and its node (kept up to date: rebuilding it per node is quadratic)."""
    for section, kind in (("inputs", "input"), ("params", "param")):
        if section not in sections:
            continue
        items = attempt(read_mapping, sections[section][1], path, section, default=None)
        all_named = all_named and items is not None
        for key, value in items or ():
            name = attempt(read_name, key, path, section, default=None)
            if name is None:
                unreadable.add(normalize_name(str(key.value)))
                continue
            if attempt(define, name, key, default=False) is False:
                continue
            number = attempt(read_number, value, path, f"{kind} '{name}'", default=0.0)
            leaves[section][name] = number
            scope[name] = graph.add_leaf(name, kind, number)
            if len(graph) > MAX_NODES:
                problems.stop(error_at(path, key, f"scenario has more than {MAX_NODES:,} nodes", "make the graph smaller"))

    expressions: dict[str, str] = {}
    layers = None
    if "network" in sections:
        try:
            expressions, layers = network_section.build_network(
                sections["network"][1], path, graph, leaves["inputs"], leaves["params"], define, MAX_NODES
            )
        except ScenarioError as error:  # the net's names would be unknown to everything after it
            problems.stop(error)
        scope.update((name, graph.index[name]) for name in positions if name not in scope)
    node_items: list[tuple[Node, Node]] = []
    if "nodes" in sections:
        node_items = attempt(
            read_mapping, sections["nodes"][1], path, "nodes", allow_empty="network" in sections, default=None
        )
        if node_items == [] and "network" not in sections:
            problems.add(error_at(path, sections["nodes"][1], "'nodes' is empty", "add at least one node, e.g. total: a + b"))
        all_named = all_named and node_items is not None
    names = [attempt(read_name, key, path, "nodes", default=None) for key, _ in node_items or ()]
    unreadable.update(normalize_name(str(key.value)) for (key, _), name in zip(node_items or (), names) if name is None)
    later = {name for name in names if name is not None}
    for (key, value), name in zip(node_items or (), names):
        if name is None or attempt(define, name, key, default=False) is False:
            continue
        later.discard(name)
        if not isinstance(value, ScalarNode) or value.tag in (BOOL_TAG, NULL_TAG):
            problems.add(error_at(path, value, f"node {quoted(name)} needs an expression", "e.g. total: a + b"))
            stand_in(name)
            continue
        text = value.value
        try:
            tree = parse(text, scope, later, own_name=name, quiet=False)
        except ExprError as exc:
            offset = 0 if "\n" in text else exc.offset
            line, col = scalar_position(decoded, value, offset)
            problems.add(ScenarioError(path, line, col, f"in {quoted(name)}: {exc.message}", exc.hint))
            stand_in(name)
            continue
        if len(graph) + count_ops(tree) > MAX_NODES:
            problems.stop(error_at(
                path, key, f"scenario has more than {MAX_NODES:,} primitive nodes", "make the graph smaller"
            ))
        members = build(graph, name, tree)
        graph.add_group(name, members)
        scope[name] = graph.index[name]
        expressions[name] = text.strip()

    output = ""
    if "output" in sections:
        out_node = sections["output"][1]
        given = attempt(read_text, out_node, path, "output", default=None)
        if (given is not None and normalize_name(given.strip()) in unreadable) or not all_named:
            given = None  # its definition is wrong, and reported
        if given is not None and normalize_name(given.strip()) not in positions:
            close = closest(given.strip()[:100], positions)
            hint = f"did you mean {quoted(close)}?" if close else "output names one of the nodes"
            problems.add(error_at(path, out_node, f"output {quoted(given.strip())} is not defined", hint))
        elif given is not None:
            output = normalize_name(given.strip())
            graph.output = graph.index[output]

    learning_rate = 0.1
    if "learning_rate" in sections:
        node = sections["learning_rate"][1]
        learning_rate = attempt(read_number, node, path, "learning_rate", default=0.1)
        if learning_rate <= 0:
            problems.add(error_at(path, node, "learning_rate must be positive", "e.g. learning_rate: 0.1"))

    notes: dict[str, Note] = {}
    if "notes" in sections and all_named:
        notes = attempt(
            read_notes, sections["notes"][1], path, {**dict.fromkeys(unreadable, (0, 0)), **positions},
            lambda node, offset: scalar_position(decoded, node, offset),
            problems, default={},
        )

    order = None
    if "order" in sections:
        order = attempt(read_number, sections["order"][1], path, "order", default=None)

    view = None
    if "view" in sections:
        node = sections["view"][1]
        view = attempt(read_text, node, path, "view", default=None)
        view = view if view is None else view.strip()
        if view is not None and view not in VIEWS:
            problems.add(error_at(
                path, node, f"view must be one of {', '.join(VIEWS)}, not {quoted(view)}", f"e.g. view: {VIEWS[0]}"
            ))
            view = None

    whole = whole and bool(output)  # the checks below read the graph: not while a part of it is missing
    if "layers" in sections:
        if layers is not None:
            problems.add(error_at(path, sections["layers"][0], "a network: already declares its layers", "remove layers:"))
        elif whole:
            layers = attempt(_declared_layers, sections["layers"][1], path, positions, graph, default=None)
    if view == "neurons" and layers is None and whole and "layers" not in sections:
        if infer(graph) is None:
            problems.add(error_at(
                path, sections["view"][1], "view: neurons needs a net: no nodes have the shape activation(Σ w·x + b)",
                "write the net with network:, or list its layers with layers:",
            ))
    data = batch_size = shuffle = None
    if "data" in sections or "batch_size" in sections or "shuffle" in sections:
        if "data" in sections:
            needed = graph.ancestors_of_output() if whole else None
            data = attempt(
                data_section.parse_data, sections["data"][1], path, leaves["inputs"], key=sections["data"][0],
                needed={n for n in leaves["inputs"] if needed is not None and n in graph.index and needed[graph.index[n]]},
                default=None,
            )
        if "batch_size" in sections:
            batch_size = attempt(data_section.parse_batch_size, sections["batch_size"][1], path, default=None)
        if "shuffle" in sections:
            shuffle = attempt(data_section.parse_shuffle, sections["shuffle"][1], path, default=None)

    problems.raise_any()
    return Scenario(
        path=path,
        name=stem,
        title=pick(titles),
        description=pick(descriptions),
        titles=titles,
        descriptions=descriptions,
        inputs=leaves["inputs"],
        params=leaves["params"],
        nodes=expressions,
        output=output,
        graph=graph,
        learning_rate=learning_rate,
        notes=notes,
        view=view,
        positions=positions,
        order=order,
        layers=layers,
        data=data,
        batch_size=batch_size,
        shuffle=shuffle,
        files=(data.source,) if data is not None and data.source else (),
    )


def _declared_layers(node: Node, path: str, positions: dict[str, tuple[int, int]], graph: Graph):
    """``layers:`` of a hand-written net, each neuron checked to be activation(Σ w·x + b)."""
    layers = network_section.parse_layers(node, path, positions)
    try:
        from_layers(graph, layers)
    except NotANeuron as exc:
        items = [item for row in node.value for item in row.value]
        where = next((item for item in items if normalize_name(str(item.value).strip()) == exc.name), node)
        raise error_at(path, where, exc.message, "a neuron is activation(w1 * x1 + ... + b), each w a param") from None
    return layers


def load(path: str | Path) -> Scenario:
    """Load a scenario file; unreadable files become ScenarioError too.

    Only regular files are read (a FIFO would block, ``/dev/zero`` never
    ends), and never more than ``MAX_BYTES`` + 1 bytes.
    """
    name = str(path)
    try:
        data = read_limited(name, MAX_BYTES)
    except NotReadable as exc:
        message = str(exc)
        if message == "is a directory":
            message = "is a directory, not a scenario file"
        hint = "check the path" if message.startswith("cannot read") else "give the path of a .yaml file"
        raise ScenarioError(name, 1, 1, message, hint).add_files(name) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(name, 1, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", "split the scenario").add_files(name)
    try:
        scenario = loads(data, name)
    except ScenarioError as error:
        error.files = (name, *(f for f in error.files if f != name))
        raise
    scenario.files = (name, *scenario.files)
    return scenario
