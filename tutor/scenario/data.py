"""The ``data:`` section: rows of numbers to train on, inline or from a CSV file.

::

    inputs: {x1: 0, x2: 0, t: 0}   # every data column is a declared input
    data:
      columns: [x1, x2, t]
      rows:
        - [0, 0, 0]
        - [0, 1, 1]
    batch_size: 2                  # optional; default: every row in one batch

``data:`` may instead be the path of a CSV file, relative to the scenario
file, whose header line names the columns. Every problem is a
``ScenarioError`` at its line and column: in the scenario, or in the CSV
file (with the CSV's own name).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.engine.expr import normalize_name
from tutor.engine.numbers import NumberTextError, parse_decimal
from tutor.records import record
from tutor.scenario.errors import ScenarioError, error_at
from tutor.scenario.files import NotReadable, read_limited
from tutor.scenario.values import read_number
from tutor.scenario.visible import quoted, visible

MAX_ROWS = 1_000_000
"""Largest data set read, in rows."""
MAX_CSV_BYTES = 64 * 1024 * 1024
"""Largest CSV file read, in bytes."""


@record(slots=True)
class DataSet:
    """Rows of numbers, one column per input leaf, in file order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    source: str = ""
    """The CSV file the rows came from; empty when they are written inline."""

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, k: int) -> dict[str, float]:
        """Row ``k``, counting from 1 as the app shows rows, as input values by name."""
        if not 1 <= k <= len(self.rows):
            raise IndexError(f"row {k} is not between 1 and {len(self.rows)}")
        return dict(zip(self.columns, self.rows[k - 1]))


def _columns(node: Node, path: str, inputs: dict[str, float]) -> tuple[str, ...]:
    if not isinstance(node, SequenceNode) or not node.value:
        raise error_at(path, node, "data columns must be a list of input names", "e.g. columns: [x1, x2, t]")
    names: list[str] = []
    for item in node.value:
        if not isinstance(item, ScalarNode):
            raise error_at(path, item, "a data column must be an input name")
        name = normalize_name(item.value.strip())
        _check_column(name, path, item, inputs, names)
        names.append(name)
    return tuple(names)


def _check_column(name: str, path: str, node: Node, inputs: dict[str, float], seen: list[str]) -> None:
    if name not in inputs:
        raise error_at(
            path, node, f"data column {quoted(name)} is not an input",
            "declare every data column under inputs:, e.g. inputs: {" + f"{visible(name)}: 0" + "}",
        )
    if name in seen:
        raise error_at(path, node, f"data column {quoted(name)} appears twice")


def _missing(columns: list[str] | tuple[str, ...], needed: set[str], inputs: dict[str, float]) -> tuple[str, list[str]] | None:
    """The message when the columns leave out an input the output depends on, and the columns wanted."""
    missing = [name for name in inputs if name in needed and name not in columns]
    if not missing:
        return None
    plural = "s" * (len(missing) != 1)
    message = (f"data has no column{plural} for input{plural} {', '.join(quoted(name) for name in missing)}, "
               "which the output uses")
    return message, [visible(name) for name in inputs if name in needed or name in columns]


def _inline(node: MappingNode, path: str, inputs: dict[str, float], data_key: Node | None, needed: set[str]) -> DataSet:
    fields = {key.value: (key, value) for key, value in node.value if isinstance(key, ScalarNode)}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode) or key.value not in ("columns", "rows"):
            shown = key.value if isinstance(key, ScalarNode) else "?"
            raise error_at(path, key, f"unknown key {quoted(shown)} in data", "data has columns: and rows:")
    if "columns" not in fields:
        raise error_at(path, node, "data needs columns: (the input names, in order)", "e.g. columns: [x1, x2, t]")
    if "rows" not in fields:
        raise error_at(path, node, "data needs rows: (one list of numbers per row)", "e.g. rows: [[0, 0, 0], [0, 1, 1]]")
    columns = _columns(fields["columns"][1], path, inputs)
    problem = _missing(columns, needed, inputs)
    if problem:
        message, wanted = problem
        raise error_at(path, data_key if data_key is not None else node, message,
                       f"every input the output uses needs a column, e.g. columns: [{', '.join(wanted)}]")
    rows_node = fields["rows"][1]
    if isinstance(rows_node, ScalarNode) and rows_node.tag.endswith(":null"):
        raise error_at(path, rows_node, "data has no rows", "add at least one row, e.g. - [0, 0, 0]")
    if not isinstance(rows_node, SequenceNode):
        raise error_at(path, rows_node, "data rows must be a list of rows", "one '- [numbers]' line per row")
    if not rows_node.value:
        raise error_at(path, rows_node, "data has no rows", "add at least one row, e.g. - [0, 0, 0]")
    if len(rows_node.value) > MAX_ROWS:
        raise error_at(path, rows_node, f"data has more than {MAX_ROWS:,} rows")
    rows: list[tuple[float, ...]] = []
    for k, row in enumerate(rows_node.value, 1):
        if not isinstance(row, SequenceNode):
            raise error_at(path, row, f"data row {k} must be a list of {len(columns)} numbers", "e.g. - [0, 1, 1]")
        if len(row.value) != len(columns):
            raise error_at(
                path, row, f"data row {k} has {len(row.value)} number{'s' * (len(row.value) != 1)}, but there are {len(columns)} columns",
                "columns: " + ", ".join(columns),
            )
        rows.append(tuple(read_number(cell, path, f"data row {k}, column {quoted(c)}") for cell, c in zip(row.value, columns)))
    return DataSet(columns, tuple(rows))


def _cell_starts(raw: str) -> list[tuple[int, int]]:
    """Where each cell of a CSV row starts, as (lines down from the row's first, 1-based column):
    its first character past leading spaces (a quote, for a quoted cell).

    The csv module reads the cells but keeps no positions; this walks the row's
    text by the same rules (a quoted cell runs to its closing quote, ``""`` is a
    quote inside it) only to point an error at its cell.
    """
    starts: list[tuple[int, int]] = []
    i, end = 0, len(raw)
    while True:
        while i < end and raw[i] == " ":
            i += 1
        line_start = raw.rfind("\n", 0, i) + 1
        starts.append((raw.count("\n", 0, i), i - line_start + 1))
        if i < end and raw[i] == '"':
            i += 1
            while i < end and not (raw[i] == '"' and raw[i + 1 : i + 2] != '"'):
                i += 2 if raw[i] == '"' else 1
        comma = raw.find(",", i)
        if comma < 0:
            return starts
        i = comma + 1


def _csv_rows(lines: list[str]) -> Iterator[tuple[range, list[str]]]:
    """Each row of a CSV file's lines: the numbers of its lines (one, unless a quoted cell holds a line
    break) and its cells, spaces before them removed; blank lines and ``#`` comments are skipped."""
    kept = [n for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader((lines[n - 1] + "\n" for n in kept), skipinitialspace=True, strict=False)
    read = 0
    for cells in reader:
        first, read = read, reader.line_num
        yield (range(kept[first], kept[first] + 1) if read == first + 1 else kept[first:read]), cells


def data_file(node: ScalarNode, path: str) -> Path:
    """The CSV file ``data:`` names, relative to the scenario file."""
    base = Path(path).parent if path and not path.startswith("<") else Path(".")
    return base / node.value.strip()


def _csv(node: ScalarNode, path: str, inputs: dict[str, float], needed: set[str]) -> DataSet:
    given = node.value.strip()
    if not given:
        raise error_at(path, node, "data needs a CSV file name or columns: and rows:")
    file = data_file(node, path)
    shown = str(file)
    try:
        raw = read_limited(str(file), MAX_CSV_BYTES)
    except NotReadable as exc:
        reason = str(exc)
        message = (f"cannot read data file {visible(given, 60)}: {reason.removeprefix('cannot read file: ')}"
                   if reason.startswith("cannot read") else f"data file {visible(given, 60)} {reason}")
        raise error_at(path, node, message, "the path is relative to the scenario file") from None
    if len(raw) > MAX_CSV_BYTES:
        raise error_at(path, node, f"data file {visible(given, 60)} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB",
                  "use fewer rows")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(shown, line, 1, "file is not valid UTF-8") from None
    # Lines end at "\n" only (as editors count them; splitlines() would also split at \x0c or U+2028).
    lines = [line.removesuffix("\r") for line in text.split("\n")]

    def starts(numbers: Sequence[int]) -> list[tuple[int, int]]:
        """The line and column where each cell of the row on lines ``numbers`` starts."""
        return [(numbers[down], col) for down, col in _cell_starts("\n".join(lines[n - 1] for n in numbers))]

    rows_read = _csv_rows(lines)
    try:
        header_lines, cells = next(rows_read)
    except StopIteration:
        raise ScenarioError(shown, 1, 1, "CSV file is empty", "the first line names the columns, e.g. x1,x2,t") from None
    header_line, header = header_lines[0], [cell.strip() for cell in cells]
    columns: list[str] = []
    for name, (line, col) in zip(header, starts(header_lines)):
        if not name:
            raise ScenarioError(shown, line, col, "empty column name in the CSV header")
        try:
            float(name)
        except ValueError:
            pass
        else:
            raise ScenarioError(
                shown, line, col, f"the CSV header names the columns; {quoted(name)} is a number",
                "the first line names the columns, e.g. x1,x2,t",
            )
        name = normalize_name(name)
        if name not in inputs:
            raise ScenarioError(
                shown, line, col, f"data column {quoted(name)} is not an input",
                "declare every data column under inputs: in the scenario",
            )
        if name in columns:
            raise ScenarioError(shown, line, col, f"data column {quoted(name)} appears twice")
        columns.append(name)
    problem = _missing(columns, needed, inputs)
    if problem:
        message, wanted = problem
        raise ScenarioError(shown, header_line, 1, message,
                            f"every input the output uses needs a column, e.g. the header {','.join(wanted)}")
    rows: list[tuple[float, ...]] = []
    for numbers, cells in rows_read:
        number = numbers[0]
        if len(cells) != len(columns):
            raise ScenarioError(
                shown, number, 1, f"row has {len(cells)} cell{'s' * (len(cells) != 1)}, but the header names {len(columns)} columns",
                "columns: " + ", ".join(columns),
            )
        row: list[float] = []
        for k, (cell, name) in enumerate(zip(cells, columns)):
            try:
                value = parse_decimal(cell)  # spaces around the number are allowed
            except NumberTextError as problem:
                number, col = starts(numbers)[k]
                cell = cell.strip()
                where = f"{quoted(cell)} in column {quoted(name)}"
                if problem.problem == "must be a finite number":
                    raise ScenarioError(shown, number, col, f"{where} is not a finite number", problem.hint) from None
                if problem.problem == "is not a number":
                    raise ScenarioError(shown, number, col, f"{where} is not a number", "write a plain number") from None
                raise ScenarioError(shown, number, col, f"{where}: {problem.problem}", problem.hint) from None
            row.append(value)
        rows.append(tuple(row))
        if len(rows) > MAX_ROWS:
            raise ScenarioError(shown, number, 1, f"data has more than {MAX_ROWS:,} rows")
    if not rows:
        raise ScenarioError(shown, header_line, 1, "CSV file has a header but no rows", "add one line per row")
    return DataSet(tuple(columns), tuple(rows), source=shown)


def parse_data(
    node: Node, path: str, inputs: dict[str, float], key: Node | None = None, needed: set[str] = frozenset(),
) -> DataSet:
    """The ``data:`` section: inline columns and rows, or a CSV path relative to the scenario.

    ``needed``: the inputs the output depends on; the data must give each a
    column (an error at the CSV header, or at ``key``, the ``data:`` key).
    """
    if isinstance(node, ScalarNode):
        if node.tag.endswith(":null"):
            raise error_at(path, node, "data is empty", "write columns: and rows:, or the name of a CSV file")
        try:
            return _csv(node, path, inputs, needed)
        except ScenarioError as error:
            if node.value.strip():
                error.add_files(str(data_file(node, path)))
            raise
    if isinstance(node, MappingNode):
        return _inline(node, path, inputs, key, needed)
    raise error_at(path, node, "data must be columns: and rows:, or the name of a CSV file")


def parse_batch_size(node: Node, path: str) -> int:
    """``batch_size:``: a whole number of rows, at least 1."""
    value = read_number(node, path, "batch_size")
    if value < 1 or not float(value).is_integer():
        raise error_at(path, node, f"batch_size must be a whole number of at least 1, not {node.value}", "e.g. batch_size: 4")
    return int(value)


def parse_shuffle(node: Node, path: str) -> int:
    """``shuffle:``: the seed for shuffling the rows before each epoch."""
    value = read_number(node, path, "shuffle")
    if value < 0 or not float(value).is_integer():
        raise error_at(path, node, f"shuffle must be a seed (a whole number, 0 or more), not {node.value}", "e.g. shuffle: 1")
    return int(value)
