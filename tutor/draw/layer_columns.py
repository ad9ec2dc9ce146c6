"""The neuron view drawn as text: neurons in layer columns, each edge labelled.

Each neuron is drawn with its incoming edges: one short line per edge, in
the order of its inputs, named by its weight and labelled with the weight's
value (forward) or gradient (backward, once known), joined by a bracket to
the neuron's name, value and δ (before δ, the error that has arrived, marked
∂); the bias row last. The names are the params' own (``w11 ∂-0.0031``, as
the panel writes ``∂w11``), never the input's: ``x1 ∂-0.0031`` beside the
input x1 would read as x1's own gradient. Only when no form fits with them
are the rows named by their inputs, and the bias ``b``. When the full form
does not fit, smaller forms put a neuron on one row with its weights in rows
under it (``w11 0.15  b1 0.35``), and the smallest shows only the current
neuron's weights. Inputs are
the first column; the nodes after the net (the loss) sit under the last.
Every column is as wide as the widest label it can hold (numbers in a fixed
number of cells), so labels never run into each other.

Pure: a network and a frame in, rows of ``(text, style name)`` runs out,
with the same style names as the graph canvas.
"""

from __future__ import annotations

from dataclasses import field

from rich.cells import cell_len

from tutor.engine.neurons import Network, Neuron, activation_of
from tutor.engine.numbers import fmt_short
from tutor.records import record
from tutor.teach.lesson import Frame, ViewEdge

GRAD = "∂"
NAMES_WORTH = 3
"""Rows of scrolling worth taking to name weights by their own names when no form fits the pane."""
DELTA = "δ"


def activation_symbol(activation: str) -> str:
    """How a neuron's activation is written after its name (from the op table: σ, tanh, ReLU, identity)."""
    return activation_of(activation).symbol

GAP = 2
"""Columns between layers."""
LABEL_GAP = 2
"""Columns between two named numbers on one row."""
FULL, COMPACT, INLINE, SUMMARY = "full", "compact", "inline", "summary"
"""The forms, largest first: an edge per row; weights in rows under the neuron; all on one row; one row
per neuron with only the current neuron's weights (for nets too big for the window otherwise)."""
FULL_CELLS = 8
"""Cells for a number in the full form (``fmt_short`` never writes more)."""
SMALL_CELLS = 7
"""Cells for a number in the other forms."""


@record(slots=True)
class Block:
    """Where one neuron, input or other node is drawn."""

    x: int
    y: int
    w: int
    h: int


@record(frozen=False)
class NeuronCanvas:
    width: int
    height: int
    rows: list[list[tuple[str, str]]]
    blocks: dict[str, Block] = field(default_factory=dict)
    compact: bool = False
    labels: list[tuple[int, int, int]] = field(default_factory=list)
    """Every text written, as (row, first column, column after its last non-blank character)."""

    def node_at(self, x: int, y: int) -> str | None:
        for key, b in self.blocks.items():
            if b.x <= x < b.x + b.w and b.y <= y < b.y + b.h:
                return key
        return None


@record(slots=True)
class _Look:
    """How a drawing is laid out: its form, blank rows between neurons, bias names, SUMMARY's labels per row."""

    form: str
    spaced: bool = True
    named: bool = True
    """Weight and bias rows labelled with their own names (else by their inputs, and ``b``, in the whole drawing)."""
    per_row: int = 3

    @property
    def cells(self) -> int:
        """Every number of one drawing is written by one rule in this many cells."""
        return FULL_CELLS if self.form == FULL else SMALL_CELLS


class _Grid:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles = [[""] * width for _ in range(height)]
        self.labels: list[tuple[int, int, int]] = []

    def put(self, x: int, y: int, text: str, style: str) -> int:
        """Write text from column x (one char per cell; wide chars are not used); returns the end column."""
        if not 0 <= y < self.height:
            return x
        if text.strip():
            left = x + len(text) - len(text.lstrip())
            self.labels.append((y, left, x + len(text.rstrip())))
        for ch in text:
            if 0 <= x < self.width:
                self.chars[y][x] = ch
                self.styles[y][x] = style
            x += 1
        return x

    def runs(self) -> list[list[tuple[str, str]]]:
        rows = []
        for chars, styles in zip(self.chars, self.styles):
            row: list[tuple[str, str]] = []
            start = 0
            for i in range(1, self.width + 1):
                if i == self.width or styles[i] != styles[start]:
                    row.append(("".join(chars[start:i]), styles[start]))
                    start = i
            rows.append(row)
        return rows


def number(x: float, cells: int) -> str:
    """A number of the drawing: fewer digits, then exponent form, to fit ``cells`` (7 or more)."""
    return fmt_short(x, cells)


def _state(key: str, alias: str, frame: Frame, selected: str | None, highlight: frozenset[str]) -> str:
    if frame.current in (key, alias):
        return "current"
    if selected in (key, alias):
        return "selected"
    if key in highlight or alias in highlight:
        return "highlight"
    if key not in frame.computed:
        return "pending"
    if frame.grads and key not in frame.grads and alias not in frame.grads:
        return "pending"
    return "done"


def _edge_state(neuron: Neuron, source: str, frame: Frame, highlight_edges: frozenset[ViewEdge]) -> str:
    if frame.current in (neuron.name, neuron.z):
        return "active"
    pairs = {(e.source, e.target) for e in highlight_edges}
    if (source, neuron.z) in pairs or (source, neuron.name) in pairs:
        return "highlight"
    if neuron.name not in frame.computed:
        return "pending"
    return "done"


def other_nodes(network: Network, keys: list[str]) -> list[str]:
    """Nodes of the groups view that the net's columns do not draw (the loss, a target input)."""
    drawn = set(network.inputs)
    for neuron in network.neurons:
        drawn.update((neuron.name, neuron.z, *(s.weight for s in neuron.synapses)))
        if neuron.bias:
            drawn.add(neuron.bias)
    return [k for k in keys if k not in drawn]


def _weight_label(weight: str, frame: Frame, cells: int) -> tuple[str, bool]:
    """The weight's gradient in the backward pass once known, else its value."""
    if frame.grads and weight in frame.grads:
        return GRAD + number(frame.grads[weight], cells), True
    return number(frame.values.get(weight, 0.0), cells), False


def _terms(neuron: Neuron, named: bool) -> list[tuple[str, str, bool]]:
    """(label, param, is the bias) for each number drawn with a neuron: its weights, then its bias.

    ``named``: each labelled with its own name; else the weights by their inputs and the bias ``b``.
    """
    out = [(s.weight if named else s.source, s.weight, False) for s in neuron.synapses]
    if neuron.bias:
        out.append((neuron.bias if named else "b", neuron.bias, True))
    return out


def _label_width(neuron: Neuron, named: bool) -> int:
    return max(len(label) for label, _, _ in _terms(neuron, named))


def _header_width(neuron: Neuron, cells: int) -> int:
    """A neuron on one row: ``name symbol value δvalue``."""
    return len(neuron.name) + 1 + len(activation_symbol(neuron.activation)) + 1 + cells + 2 + cells


def _cell_width(neuron: Neuron, look: _Look) -> int:
    """One named number: ``source ∂value``."""
    return _label_width(neuron, look.named) + 2 + look.cells


def draw_network(
    network: Network,
    frame: Frame,
    others: list[str] | None = None,
    selected: str | None = None,
    highlight_nodes: frozenset[str] = frozenset(),
    highlight_edges: frozenset[ViewEdge] = frozenset(),
    height: int = 0,
    width: int = 0,
) -> NeuronCanvas:
    """Draw the net at one frame in the largest form that fits ``width`` × ``height`` (0: any)."""
    others = others or []
    args = (network, frame, others, selected, highlight_nodes, highlight_edges)
    tried = []
    forms = ((FULL, 3), (COMPACT, 3), (INLINE, 3), (SUMMARY, 3), (SUMMARY, 2), (SUMMARY, 1))
    # Weights by their own names in any form (the smallest shows the current neuron's only) before
    # weights named by their inputs, which read as the inputs' own numbers.
    for form, per_row, named in [(f, p, True) for f, p in forms] + [(f, p, False) for f, p in forms]:
        for spaced in (True, False):
            look = _Look(form, spaced, named, per_row)
            size = _layout(network, others, look, height)
            if (not height or size[1] <= height) and (not width or size[0] <= width):
                return _draw(*args, look, size)
            tried.append((look, size))
    # Nothing fits: the shortest drawing that fits the width (scrolled down), else the narrowest; weights
    # by their own names are worth a few rows more.
    wide_enough = [t for t in tried if not width or t[1][0] <= width]
    look, size = min(wide_enough, key=lambda t: t[1][1] + (0 if t[0].named else NAMES_WORTH)) if wide_enough else min(
        tried, key=lambda t: t[1][0])
    return _draw(*args, look, size)


def _neuron_size(neuron: Neuron, form: str, per_row: int, look: _Look) -> tuple[int, int]:
    """(width, height) of a neuron's block."""
    cells = look.cells
    count = len(_terms(neuron, look.named))
    if form == FULL:
        text = max(len(neuron.name) + 1 + len(activation_symbol(neuron.activation)), 1 + cells)
        return _label_width(neuron, look.named) + 1 + (1 + cells) + 4 + text, max(count, 3)
    cell = _cell_width(neuron, look)
    header = _header_width(neuron, cells)
    if form == INLINE:
        return header + LABEL_GAP + count * (cell + LABEL_GAP) - LABEL_GAP, 1
    columns = min(per_row, count)
    return max(header, 1 + columns * (cell + LABEL_GAP) - LABEL_GAP), 1 + -(-count // per_row)


def _column(layer: tuple[Neuron, ...], look: _Look, gap: int, height: int) -> tuple[int, int, tuple[int, str]]:
    """(width, height, (weights per row, form)) of one layer's column.

    The compact form puts as few weights on a row as the height allows
    (narrow columns), from 2 up to every weight of a neuron on one row.
    """
    most = max(len(_terms(n, look.named)) for n in layer)
    if look.form == FULL:
        choices = [(1, FULL)]
    elif look.form == SUMMARY:
        # One row per neuron, plus the rows of weights of the one neuron that is current.
        width = max(_neuron_size(n, COMPACT, look.per_row, look)[0] for n in layer)
        extra = -(-most // look.per_row)
        return width, len(layer) + extra + gap * (len(layer) - 1), (look.per_row, SUMMARY)
    else:
        # INLINE: a column that does not fit in the compact form puts each neuron on one row.
        choices = [(p, COMPACT) for p in range(min(2, most), most + 1)]
        choices += [(most, INLINE)] if look.form == INLINE else []
    for per_row, chosen in choices:
        sizes = [_neuron_size(n, chosen, per_row, look) for n in layer]
        column_h = sum(h for _, h in sizes) + gap * (len(sizes) - 1)
        if not height or column_h <= height:
            break
    return max(w for w, _ in sizes), column_h, (per_row, chosen)


def _input_width(network: Network, cells: int) -> int:
    """``name value`` over `` ∂grad``."""
    return max(2 + cells, *(len(n) + 1 + cells for n in network.inputs))


def _other_width(others: list[str], cells: int) -> int:
    """``name value ∂grad``."""
    return max(len(o) + 3 + 2 * cells for o in others)


def _layout(
    network: Network, others: list[str], look: _Look, height: int = 0
) -> tuple[int, int, list[tuple[int, str]]]:
    """(width, height, weights per row of each layer) of the whole drawing."""
    gap = 1 if look.spaced else 0
    total_w = _input_width(network, look.cells)
    total_h = 2 * len(network.inputs) + gap * (len(network.inputs) - 1)
    per_rows: list[tuple[int, str]] = []
    for k, layer in enumerate(network.layers):
        last = k == len(network.layers) - 1
        extra = gap + len(others) if last and others else 0
        column_w, column_h, per_row = _column(layer, look, gap, max(0, height - extra) if height else 0)
        if last and others:
            column_w = max(column_w, _other_width(others, look.cells))
            column_h += extra
        per_rows.append(per_row)
        total_w += GAP + column_w
        total_h = max(total_h, column_h)
    return total_w, total_h, per_rows


def _draw(
    network: Network, frame: Frame, others: list[str], selected: str | None, highlight_nodes: frozenset[str],
    highlight_edges: frozenset[ViewEdge], look: _Look, size: tuple[int, int, list[tuple[int, str]]],
) -> NeuronCanvas:
    total_w, total_h, per_rows = size
    grid = _Grid(total_w, total_h)
    blocks: dict[str, Block] = {}
    spaced, cells = look.spaced, look.cells

    def column_top(block_heights: list[int]) -> int:
        used = sum(block_heights) + (len(block_heights) - 1 if spaced else 0)
        return max(0, (total_h - used) // 2)

    # inputs
    input_width = _input_width(network, cells)
    y = column_top([2] * len(network.inputs))
    for name in network.inputs:
        state = _state(name, name, frame, selected, highlight_nodes)
        end = grid.put(0, y, name, f"title.{state}")
        if name in frame.values:
            grid.put(end + 1, y, number(frame.values[name], cells), f"value.{state}")
        if name in frame.grads:
            grid.put(1, y + 1, GRAD + number(frame.grads[name], cells), f"grad.{state}")
        blocks[name] = Block(0, y, input_width, 2)
        y += 2 + (1 if spaced else 0)

    x = input_width + GAP
    for k, layer in enumerate(network.layers):
        per_row, column_form = per_rows[k]
        if column_form == SUMMARY:
            sizes = [
                _neuron_size(n, COMPACT, per_row, look) if frame.current in (n.name, n.z) else
                (_neuron_size(n, COMPACT, per_row, look)[0], 1) for n in layer
            ]
        else:
            sizes = [_neuron_size(n, column_form, per_row, look) for n in layer]
        column_w = max(w for w, _ in sizes)
        heights = [h for _, h in sizes]
        last = k == len(network.layers) - 1
        if last and others:
            column_w = max(column_w, _other_width(others, cells))
        y = column_top(heights + ([1 + len(others)] if last and others else []))
        for neuron, (w, h) in zip(layer, sizes):
            state = _state(neuron.name, neuron.z, frame, selected, highlight_nodes)
            if column_form == SUMMARY and h == 1:
                _neuron_text(grid, x, y, neuron, frame, state, cells, one_line=True)
            elif column_form != FULL:
                _compact_neuron(grid, x, y, neuron, frame, state, look, per_row, column_form == INLINE)
            else:
                _full_neuron(grid, x, y, neuron, frame, state, look, highlight_edges)
            blocks[neuron.name] = Block(x, y, w, h)
            y += h + (1 if spaced else 0)
        if last and others:
            for name in others:
                state = _state(name, name, frame, selected, highlight_nodes)
                end = grid.put(x, y, name, f"title.{state}")
                if name in frame.values:
                    end = grid.put(end + 1, y, number(frame.values[name], cells), f"value.{state}")
                if name in frame.grads:
                    grid.put(end + 1, y, GRAD + number(frame.grads[name], cells), f"grad.{state}")
                blocks[name] = Block(x, y, column_w, 1)
                y += 1
        x += column_w + GAP
    return NeuronCanvas(total_w, total_h, grid.runs(), blocks, look.form != FULL, grid.labels)


def _neuron_text(
    grid: _Grid, x: int, y: int, neuron: Neuron, frame: Frame, state: str, cells: int, one_line: bool
) -> None:
    end = grid.put(x, y, neuron.name, f"title.{state}")
    end = grid.put(end + 1, y, activation_symbol(neuron.activation), f"text.{state}")
    value_y = y if one_line else y + 1
    value_x = end + 1 if one_line else x
    if neuron.name in frame.computed and neuron.name in frame.values:
        value_x = grid.put(value_x, value_y, number(frame.values[neuron.name], cells), f"value.{state}")
    delta_y = y if one_line else y + 2
    delta_x = value_x + 1 if one_line else x
    if neuron.z in frame.grads:
        grid.put(delta_x, delta_y, DELTA + number(frame.grads[neuron.z], cells), f"grad.{state}")
    elif neuron.name in frame.grads:
        # The error has arrived (backward stage 1); δ follows once the activation's derivative is applied.
        grid.put(delta_x, delta_y, GRAD + number(frame.grads[neuron.name], cells), f"grad.{state}")


def _full_neuron(
    grid: _Grid, x: int, y: int, neuron: Neuron, frame: Frame, state: str, look: _Look,
    highlight_edges: frozenset[ViewEdge],
) -> None:
    cells = look.cells
    source_w = _label_width(neuron, look.named)
    terms = _terms(neuron, look.named)
    count = len(terms)
    for i, (source, weight, is_bias) in enumerate(terms):
        edge = _edge_state(neuron, source, frame, highlight_edges) if not is_bias else (
            "active" if frame.current in (neuron.name, neuron.z) else "done")
        label, is_grad = _weight_label(weight, frame, cells)
        grid.put(x, y + i, source.rjust(source_w), f"title.{'pending' if edge == 'pending' else 'done'}")
        kind = "grad" if is_grad else "value"
        grid.put(x + source_w + 1, y + i, label.rjust(1 + cells), f"{kind}.{edge}")
        bracket = "─" if count == 1 else ("┐" if i == 0 else "┘" if i == count - 1 else "┤")
        grid.put(x + source_w + 2 + cells, y + i, " ─" + bracket, f"edge.{edge}")
    _neuron_text(grid, x + source_w + cells + 6, y, neuron, frame, state, cells, one_line=False)


def _compact_neuron(
    grid: _Grid, x: int, y: int, neuron: Neuron, frame: Frame, state: str, look: _Look, per_row: int,
    inline: bool = False,
) -> None:
    """The neuron on one row, then each weight (and the bias) with its name: ``w11 0.15  b1 0.35``."""
    cells = look.cells
    _neuron_text(grid, x, y, neuron, frame, state, cells, one_line=True)
    edge = "active" if state == "current" else ("pending" if neuron.name not in frame.computed else "done")
    source_w = _label_width(neuron, look.named)
    step = _cell_width(neuron, look) + LABEL_GAP
    for i, (source, weight, _) in enumerate(_terms(neuron, look.named)):
        text, is_grad = _weight_label(weight, frame, cells)
        if inline:
            left, top = x + _header_width(neuron, cells) + LABEL_GAP + i * step, y
        else:
            row, col = divmod(i, per_row)
            left, top = x + 1 + col * step, y + 1 + row
        grid.put(left, top, source.rjust(source_w), f"title.{'pending' if edge == 'pending' else 'done'}")
        grid.put(left + source_w + 1, top, text, f"{'grad' if is_grad else 'value'}.{edge}")


def plain(canvas: NeuronCanvas) -> str:
    """The drawing as plain text (tests, snapshots)."""
    return "\n".join("".join(text for text, _ in row).rstrip() for row in canvas.rows)


def cells(text: str) -> int:
    return cell_len(text)
