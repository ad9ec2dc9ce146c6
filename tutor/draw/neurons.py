"""The neuron view drawn as text: neurons in layer columns, each edge labelled.

Each neuron is drawn with its incoming edges: one short line per edge, named
by its source and labelled with its weight (forward) or the weight's gradient
(backward, once known), joined by a bracket to the neuron's name, value and
δ (before δ, the error that has arrived, marked ∂). When the full form does not fit the height given, a compact form lists
the weights of a neuron in rows (in the order of the layer before). Inputs
are the first column; the nodes after the net (the loss) sit under the last.

Pure: a network and a frame in, rows of ``(text, style name)`` runs out,
with the same style names as the graph canvas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len

from tutor.engine.neurons import Network, Neuron
from tutor.engine.numbers import fmt
from tutor.teach.lesson import Frame, ViewEdge

GRAD = "∂"
DELTA = "δ"
SYMBOLS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "identity": "="}
GAP = 2
"""Columns between layers."""
FULL, COMPACT, INLINE, SUMMARY = "full", "compact", "inline", "summary"
"""The forms, largest first: an edge per row; weights in rows under the neuron; all on one row; one row
per neuron with only the current neuron's weights (for nets too big for the window otherwise)."""
SUMMARY_PER_ROW = 3
INLINE_TEXT = 30
"""Cells for a neuron's name, value and δ before its weights in the one-row form."""


@dataclass(frozen=True, slots=True)
class Block:
    """Where one neuron, input or other node is drawn."""

    x: int
    y: int
    w: int
    h: int


@dataclass
class NeuronCanvas:
    width: int
    height: int
    rows: list[list[tuple[str, str]]]
    blocks: dict[str, Block] = field(default_factory=dict)
    compact: bool = False

    def node_at(self, x: int, y: int) -> str | None:
        for key, b in self.blocks.items():
            if b.x <= x < b.x + b.w and b.y <= y < b.y + b.h:
                return key
        return None


class _Grid:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles = [[""] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str, style: str) -> int:
        """Write text from column x (one char per cell; wide chars are not used); returns the end column."""
        if not 0 <= y < self.height:
            return x
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


def _num(x: float, digits: int) -> str:
    return fmt(x, digits)


def short(x: float, width: int, prefix: str = "") -> str:
    """``prefix`` and ``x`` in at most ``width`` characters: fewer digits first, then exponent form."""
    for digits in (3, 2, 1):
        text = prefix + fmt(x, digits)
        if len(text) <= width:
            return text
    text = prefix + f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e")
    return text if len(text) <= width else text[:width]


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


def _weight_label(weight: str, frame: Frame, width: int, prefix: str = "") -> tuple[str, bool]:
    """The weight's gradient in the backward pass once known, else its value, in ``width`` characters."""
    if frame.grads and weight in frame.grads:
        return short(frame.grads[weight], width, prefix + GRAD), True
    return short(frame.values.get(weight, 0.0), width, prefix), False


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
    """Draw the net at one frame; the compact form when the full one is taller than ``height``."""
    others = others or []
    args = (network, frame, others, selected, highlight_nodes, highlight_edges)
    for form in (FULL, COMPACT, INLINE, SUMMARY):
        for spaced in (True, False):
            size = _layout(network, others, form, spaced, height)
            if (not height or size[1] <= height) and (not width or size[0] <= width):
                return _draw(*args, form, spaced, size)
    # Nothing fits: the compact form, scrolled.
    return _draw(*args, COMPACT, False, _layout(network, others, COMPACT, False, height))


def _neuron_size(neuron: Neuron, form: str, per_row: int) -> tuple[int, int]:
    """(width, height) of a neuron's block."""
    name = max(len(neuron.name) + 1 + len(SYMBOLS[neuron.activation]), 10)  # δ-0.008991
    labels = len(neuron.synapses) + (1 if neuron.bias else 0)
    if form == INLINE:
        return INLINE_TEXT + labels * 8, 1
    if form == COMPACT:
        labels = len(neuron.synapses) + (1 if neuron.bias else 0)
        rows = -(-labels // per_row)
        return max(name + 19, per_row * 8 + 1), 1 + rows
    source = max(len(s.source) for s in neuron.synapses)
    rows = len(neuron.synapses) + (1 if neuron.bias else 0)
    return source + 1 + 9 + 3 + name, max(rows, 3)


def _column(layer: tuple[Neuron, ...], form: str, gap: int, height: int) -> tuple[int, int, tuple[int, str]]:
    """(width, height, weights per row) of one layer's column.

    The compact form puts as few weights on a row as the height allows
    (narrow columns), from 3 up to every weight of a neuron on one row.
    """
    most = max(len(n.synapses) + (1 if n.bias else 0) for n in layer)
    if form == FULL:
        choices = [(1, FULL)]
    elif form == SUMMARY:
        # One row per neuron, plus the rows of weights of the one neuron that is current.
        width = max(max(_neuron_size(n, COMPACT, SUMMARY_PER_ROW)[0] for n in layer), 0)
        extra = -(-most // SUMMARY_PER_ROW)
        return width, len(layer) + extra + gap * (len(layer) - 1), (SUMMARY_PER_ROW, SUMMARY)
    else:
        # INLINE: a column that does not fit in the compact form puts each neuron on one row.
        choices = [(p, COMPACT) for p in range(min(3, most), most + 1)] + ([(most, INLINE)] if form == INLINE else [])
    for per_row, chosen in choices:
        sizes = [_neuron_size(n, chosen, per_row) for n in layer]
        column_h = sum(h for _, h in sizes) + gap * (len(sizes) - 1)
        if not height or column_h <= height:
            break
    return max(w for w, _ in sizes), column_h, (per_row, chosen)


def _layout(
    network: Network, others: list[str], form: str, spaced: bool = True, height: int = 0
) -> tuple[int, int, list[tuple[int, str]]]:
    """(width, height, weights per row of each layer) of the whole drawing."""
    gap = 1 if spaced else 0
    input_width = max(9, *(len(n) + 8 for n in network.inputs))
    total_w = input_width
    total_h = 2 * len(network.inputs) + gap * (len(network.inputs) - 1)
    per_rows: list[tuple[int, str]] = []
    for k, layer in enumerate(network.layers):
        last = k == len(network.layers) - 1
        extra = gap + len(others) if last and others else 0
        column_w, column_h, per_row = _column(layer, form, gap, max(0, height - extra) if height else 0)
        if last and others:
            column_w = max(column_w, *(len(o) + 20 for o in others))
            column_h += extra
        per_rows.append(per_row)
        total_w += GAP + column_w
        total_h = max(total_h, column_h)
    return total_w, total_h, per_rows


def _draw(
    network: Network, frame: Frame, others: list[str], selected: str | None, highlight_nodes: frozenset[str],
    highlight_edges: frozenset[ViewEdge], form: str, spaced: bool, size: tuple[int, int, list[tuple[int, str]]],
) -> NeuronCanvas:
    total_w, total_h, per_rows = size
    grid = _Grid(total_w, total_h)
    blocks: dict[str, Block] = {}

    def column_top(block_heights: list[int]) -> int:
        used = sum(block_heights) + (len(block_heights) - 1 if spaced else 0)
        return max(0, (total_h - used) // 2)

    # inputs
    input_width = max(9, *(len(n) + 8 for n in network.inputs))
    y = column_top([2] * len(network.inputs))
    for name in network.inputs:
        state = _state(name, name, frame, selected, highlight_nodes)
        end = grid.put(0, y, name, f"title.{state}")
        if name in frame.values:
            grid.put(end + 1, y, _num(frame.values[name], 4), f"value.{state}")
        if name in frame.grads:
            grid.put(1, y + 1, GRAD + _num(frame.grads[name], 4), f"grad.{state}")
        blocks[name] = Block(0, y, input_width, 2)
        y += 2 + (1 if spaced else 0)

    x = input_width + GAP
    for k, layer in enumerate(network.layers):
        per_row, column_form = per_rows[k]
        if column_form == SUMMARY:
            sizes = [
                _neuron_size(n, COMPACT, per_row) if frame.current in (n.name, n.z) else
                (_neuron_size(n, COMPACT, per_row)[0], 1) for n in layer
            ]
        else:
            sizes = [_neuron_size(n, column_form, per_row) for n in layer]
        column_w = max(w for w, _ in sizes)
        heights = [h for _, h in sizes]
        last = k == len(network.layers) - 1
        if last and others:
            column_w = max(column_w, *(len(o) + 20 for o in others))
        y = column_top(heights + ([1 + len(others)] if last and others else []))
        for neuron, (w, h) in zip(layer, sizes):
            if column_form == SUMMARY and h == 1:
                state = _state(neuron.name, neuron.z, frame, selected, highlight_nodes)
                _neuron_text(grid, x, y, neuron, frame, state, one_line=True)
            elif column_form != FULL:
                _compact_neuron(grid, x, y, neuron, frame, selected, highlight_nodes, per_row, column_form == INLINE)
            else:
                _full_neuron(grid, x, y, neuron, frame, selected, highlight_nodes, highlight_edges)
            blocks[neuron.name] = Block(x, y, w, h)
            y += h + (1 if spaced else 0)
        if last and others:
            for name in others:
                state = _state(name, name, frame, selected, highlight_nodes)
                end = grid.put(x, y, name, f"title.{state}")
                if name in frame.values:
                    end = grid.put(end + 1, y, _num(frame.values[name], 4), f"value.{state}")
                if name in frame.grads:
                    grid.put(end + 1, y, GRAD + _num(frame.grads[name], 4), f"grad.{state}")
                blocks[name] = Block(x, y, column_w, 1)
                y += 1
        x += column_w + GAP
    return NeuronCanvas(total_w, total_h, grid.runs(), blocks, form != FULL)


def _neuron_text(grid: _Grid, x: int, y: int, neuron: Neuron, frame: Frame, state: str, one_line: bool) -> None:
    end = grid.put(x, y, neuron.name, f"title.{state}")
    end = grid.put(end + 1, y, SYMBOLS[neuron.activation], f"text.{state}")
    value_y = y if one_line else y + 1
    value_x = end + 1 if one_line else x
    if neuron.name in frame.computed and neuron.name in frame.values:
        value_x = grid.put(value_x, value_y, _num(frame.values[neuron.name], 4), f"value.{state}")
    delta_y = y if one_line else y + 2
    delta_x = value_x + 1 if one_line else x
    if neuron.z in frame.grads:
        grid.put(delta_x, delta_y, DELTA + _num(frame.grads[neuron.z], 4), f"grad.{state}")
    elif neuron.name in frame.grads:
        # The error has arrived (backward stage 1); δ follows once the activation's derivative is applied.
        grid.put(delta_x, delta_y, GRAD + _num(frame.grads[neuron.name], 4), f"grad.{state}")


def _full_neuron(
    grid: _Grid, x: int, y: int, neuron: Neuron, frame: Frame, selected: str | None,
    highlight_nodes: frozenset[str], highlight_edges: frozenset[ViewEdge],
) -> None:
    state = _state(neuron.name, neuron.z, frame, selected, highlight_nodes)
    source_w = max(len(s.source) for s in neuron.synapses)
    lines = [(s.source, s.weight) for s in neuron.synapses]
    if neuron.bias:
        lines.append(("b", neuron.bias))
    count = len(lines)
    for i, (source, weight) in enumerate(lines):
        edge = _edge_state(neuron, source, frame, highlight_edges) if source != "b" else (
            "active" if frame.current in (neuron.name, neuron.z) else "done")
        label, is_grad = _weight_label(weight, frame, 9)
        grid.put(x, y + i, source.rjust(source_w), f"title.{'pending' if edge == 'pending' else 'done'}")
        kind = "grad" if is_grad else "value"
        grid.put(x + source_w + 1, y + i, label.rjust(9), f"{kind}.{edge}")
        bracket = "─" if count == 1 else ("┐" if i == 0 else "┘" if i == count - 1 else "┤")
        grid.put(x + source_w + 10, y + i, " ─" + bracket, f"edge.{edge}")
    _neuron_text(grid, x + source_w + 14, y, neuron, frame, state, one_line=False)


def _compact_neuron(
    grid: _Grid, x: int, y: int, neuron: Neuron, frame: Frame, selected: str | None,
    highlight_nodes: frozenset[str], per_row: int, inline: bool = False,
) -> None:
    state = _state(neuron.name, neuron.z, frame, selected, highlight_nodes)
    _neuron_text(grid, x, y, neuron, frame, state, one_line=True)
    edge = "active" if state == "current" else ("pending" if neuron.name not in frame.computed else "done")
    labels = [_weight_label(s.weight, frame, 7) for s in neuron.synapses]
    if neuron.bias:
        labels.append(_weight_label(neuron.bias, frame, 7, "b"))
    for i, (text, is_grad) in enumerate(labels):
        row, col = divmod(i, per_row)
        left, top = (x + INLINE_TEXT, y) if inline else (x + 1, y + 1 + row)
        grid.put(left + col * 8, top, text.rjust(7), f"{'grad' if is_grad else 'value'}.{edge}")


def plain(canvas: NeuronCanvas) -> str:
    """The drawing as plain text (tests, snapshots)."""
    return "\n".join("".join(text for text, _ in row).rstrip() for row in canvas.rows)


def cells(text: str) -> int:
    return cell_len(text)
