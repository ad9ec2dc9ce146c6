"""Warnings about a classifier's targets: a softmax net is trained against one-hot rows.

A net whose last layer is a softmax (``tutor.scenario.network``) outputs one
probability per class, and its cross-entropy loss expects each row's targets
to be one-hot: a 1 in its class's column, 0 in the others. Anything else
still loads and trains (the loss is defined for any targets), so these are
warnings, not errors: returned as plain data, each with the position of the
first row concerned (in the data CSV, the scenario's inline rows, or where
the target input is declared), for ``check`` to print.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, SequenceNode

from tutor.engine.cross_entropy import find as find_cross_entropy
from tutor.engine.network import Network, from_layers, infer
from tutor.records import record
from tutor.scenario.compose import compose
from tutor.scenario.errors import ScenarioError
from tutor.scenario.loader import Scenario
from tutor.scenario.visible import visible


@record(slots=True)
class ScenarioWarning:
    """Something that loads but is probably not what the author meant, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{visible(self.path)}:{self.line}:{self.col}: warning: {self.message}"

    def report(self) -> str:
        """The warning line, plus the hint on an indented second line (as ``ScenarioError.report``)."""
        return str(self) + (f"\n    hint: {self.hint}" if self.hint else "")


HINT = "a softmax is trained against one-hot targets: a 1 in the column of the row's class, 0 in the others"


def target_warnings(scenario: Scenario) -> list[ScenarioWarning]:
    """Warnings when a softmax net's targets are not one-hot (none for any other scenario).

    The targets are the inputs its cross-entropy loss multiplies (``t1`` in
    ``-(t1 * log(a2_1) + ...)``), else the data columns the net does not read.
    """
    net = _network(scenario)
    if net is None or not net.is_softmax(len(net.layers)):
        return []
    outputs = net.layers[-1]
    targets = _targets(scenario, net)
    if not targets:
        return []
    data = scenario.data
    if data is None:
        rows = [tuple(scenario.inputs[name] for name in targets)]
    else:
        columns = [data.columns.index(name) for name in targets]
        rows = [tuple(row[c] for c in columns) for row in data.rows]
    found: list[ScenarioWarning] = []
    if len(targets) != len(outputs):
        where = _where(scenario, targets[0], None)
        found.append(ScenarioWarning(
            *where, f"{len(targets)} target column{'s' * (len(targets) != 1)} ({', '.join(targets)}) for the "
            f"softmax's {len(outputs)} outputs", f"write one 0/1 column per class; {HINT}",
        ))
        return found
    bad = [k for k, row in enumerate(rows, 1) if not _one_hot(row)]
    if bad:
        first = bad[0]
        values = ", ".join(f"{name} = {value:g}" for name, value in zip(targets, rows[first - 1]))
        more = f" (and {len(bad) - 1} more row{'s' * (len(bad) != 2)})" if len(bad) > 1 else ""
        what = f"row {first} of the data" if data is not None else "the inputs"
        found.append(ScenarioWarning(*_where(scenario, targets[0], first if data is not None else None),
                                     f"the targets of {what} are not one-hot: {values}{more}", HINT))
    return found


def _network(scenario: Scenario) -> Network | None:
    try:
        return from_layers(scenario.graph, scenario.layers) if scenario.layers else infer(scenario.graph)
    except ValueError:
        return None


def _targets(scenario: Scenario, net: Network) -> list[str]:
    graph = scenario.graph
    outputs = tuple(graph.index[n.name] for n in net.layers[-1])
    loss = find_cross_entropy(graph, outputs)
    if loss is not None and loss.leaves:
        return [graph.nodes[i].name for i in loss.leaves]
    if scenario.data is None:
        return []
    return [c for c in scenario.data.columns if c not in net.inputs]


def _one_hot(row: tuple[float, ...]) -> bool:
    return all(v in (0.0, 1.0) for v in row) and sum(row) == 1.0


def _where(scenario: Scenario, name: str, row: int | None) -> tuple[str, int, int]:
    """Where a warning points: data row ``row`` (in the CSV, or the inline rows), else ``name``'s declaration."""
    data = scenario.data
    if row is not None and data is not None:
        found = _csv_row(data.source, row) if data.source else _inline_row(scenario.path, row)
        if found is not None:
            return found
    line, col = scenario.positions.get(name, (1, 1))
    return scenario.path, line, col


def _csv_row(source: str, row: int) -> tuple[str, int, int] | None:
    """Data row ``row``'s line in the CSV: the header is the first line that is neither blank nor a comment."""
    try:
        lines = Path(source).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    counted = [n for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    return (source, counted[row], 1) if row < len(counted) else None


def _inline_row(path: str, row: int) -> tuple[str, int, int] | None:
    """Where inline data row ``row`` starts in the scenario file (read again: the loaded rows keep no position)."""
    try:
        raw = Path(path).read_bytes()
        root = compose(raw.decode("utf-8-sig"), raw, path)
    except (OSError, UnicodeDecodeError, ScenarioError):  # no file (text given to loads), or it changed
        return None
    data = next((v for k, v in getattr(root, "value", ()) if getattr(k, "value", None) == "data"), None)
    if not isinstance(data, MappingNode):
        return None
    rows = next((v for k, v in data.value if getattr(k, "value", None) == "rows"), None)
    if not isinstance(rows, SequenceNode) or row > len(rows.value):
        return None
    mark = rows.value[row - 1].start_mark
    return path, mark.line + 1, mark.column + 1
