"""The neuron view drawn as text: the network with its wires, inputs to loss, every number on it.

Inputs stand in the first column, each layer's neurons in the next ones,
and wires join them: from each input (or neuron) to every neuron that reads
it, then from the output neurons down into the loss. Each number is named
and labelled as the panel writes it: a weight's value (forward) or gradient
(backward, once known, ``∂``), a neuron's value and its δ (before δ, the
error that has arrived, ``∂``); in forward mode every number the frame
marks another way (``ṫ`` for a tangent) carries that mark instead.

The forms, largest first; the first that fits the window is drawn:

* **full**: a neuron is a block of rows, one per weight (named by the
  weight, ``w11 0.15``) and its bias, joined by a bracket to the neuron's
  name, value and δ. Every weight's row has a wire of its own: each input
  (or neuron) has one vertical track in the channel before the layer, and a
  branch from it ends in an arrow on each row of a weight it is multiplied
  by. Where a branch passes another input's track the two cross (``┼`` is
  always a crossing here).
* **compact**, **inline**: a neuron on one row (``h1 σ 0.593 δ−0.0620``)
  with its weights in rows under it, or on the same row; **summary**: one
  row a neuron, with only the current neuron's weights. A neuron has one row
  to arrive at, so the channel before a layer whose neurons all read every
  item of the column before is drawn as a *bus*: every source's line merges
  into one trunk, one link crosses to a second trunk, and that one branches
  to every neuron (``─┤ ├─▶``): all of them read all of these (one trunk
  where one side has a single item). The bus carries the items every neuron
  of the layer reads; an input only some of them read, or one from a column
  further left (a skip connection), has no wire, in any form: the weight's
  name says which input it weighs. A layer whose neurons share an
  activation has it written once, above its column (``tanh``), not after
  every name.

The nodes after the net (the loss, an error node, the targets) hang below
the output layer: the targets stand under the output neurons, and each other
node sits in a column to their right, under a trunk that gathers its inputs
(the output neurons' lines, the targets') and ends in ``▼`` on its name; the
node after it follows under it. Where the nodes after the net are not such
a chain, they are listed under the last layer without wires.

A wire's glyphs never carry meaning by colour alone: the current neuron's
wires are bold, a highlighted path's too, pending ones dim; the current
neuron's name is in reverse video, the selected one's underlined.

Every column's numbers are written with one count of significant digits,
the most at which the column's widest number fits its cells, and sized for
the widest number the column shows (``column_cells``; see
``tutor.draw.number_columns``). Pure: a network and a frame in, rows of
``(text, style name)`` runs out, with the style names of the graph canvas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field

from tutor.draw.number_columns import FEWEST_CELLS, column_digits, widest, written
from tutor.draw.route import route_gap
from tutor.draw.specs import ARROW, JOIN, E, N, S, W
from tutor.engine.network import SOFTMAX, Network, Neuron
from tutor.engine.ops import OPS
from tutor.records import record
from tutor.teach.lesson import Frame, ViewEdge

FULL, COMPACT, INLINE, SUMMARY = "full", "compact", "inline", "summary"
"""The forms, largest first (see the module docstring)."""
NAMES_WORTH = 3
"""Rows of scrolling worth taking to name weights by their own names when no form fits the pane."""
LABEL_GAP = 2
"""Columns between two named numbers on one row."""
FULL_CELLS = 8
"""Cells a number has at most in the full form (its mark aside)."""
SMALL_CELLS = 7
"""Cells a number has at most in the other forms."""
DOWN = "▼"
"""Where a trunk enters a node from above (the nodes after the net)."""
INPUTS = "inputs"
TAIL = "tail"
"""Keys of the inputs' column and of the nodes after the net in a ``column_cells`` table."""

_PRIORITY = {"pending": 0, "done": 1, "highlight": 2, "active": 3}


def activation_symbol(activation: str) -> str:
    """How a neuron's activation is written after its name (from the op table: σ, tanh, ReLU, identity).

    A softmax is no op of its own (it is made of max, exp, add and divide over
    a whole layer): it is written by its name.
    """
    return activation if activation == SOFTMAX else OPS[activation].activation.symbol


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
    wires: dict[tuple[int, int], int] = field(default_factory=dict)
    """Every cell a wire passes, with the directions it leaves the cell in (``specs.JOIN``'s bits)."""
    arrows: dict[tuple[int, int], str] = field(default_factory=dict)
    """Arrow heads (``▶`` into a weight's row or a neuron, ``▼`` into a node after the net), by cell."""

    def node_at(self, x: int, y: int) -> str | None:
        for key, b in self.blocks.items():
            if b.x <= x < b.x + b.w and b.y <= y < b.y + b.h:
                return key
        return None


@record(slots=True)
class _Look:
    """How a drawing is laid out: its form, blank rows between blocks, weight names, SUMMARY's labels per row."""

    form: str
    spaced: bool = True
    named: bool = True
    """Weight and bias rows labelled with their own names (else by their inputs, and ``b``, in the whole drawing)."""
    per_row: int = 3
    roomy: bool = False
    """Every column's numbers up to the full form's cells (the weights' only, else): more digits where they fit."""

    @property
    def budget(self) -> int:
        """Cells a number of this form may take at most."""
        return FULL_CELLS if self.form == FULL else SMALL_CELLS


# --- the numbers of each column ---------------------------------------------------------


def _column_keys(network: Network, others: list[str]) -> dict[str, list[str]]:
    """The numbers' columns: the inputs, each layer's weights and each layer's neurons, the nodes after."""
    columns: dict[str, list[str]] = {INPUTS: list(network.inputs), TAIL: list(others)}
    for k, layer in enumerate(network.layers, start=1):
        columns[f"w{k}"] = [p for n in layer for p in (*n.weights, *n.biases)]
        columns[f"n{k}"] = [key for n in layer for key in (n.name, n.z)]
    return columns


def column_cells(network: Network, frames: Iterable[Frame], others: list[str] | None = None) -> dict[str, int]:
    """Cells each column's numbers take: its widest over ``frames`` (a lesson's), never under ``FEWEST_CELLS``.

    At least ``FEWEST_CELLS``, so a number only a mode shows (a forward-mode
    tangent) fits too, with fewer digits if need be. Keys: ``inputs``,
    ``w1``, ``n1`` (the first layer's weights, its neurons), ..., ``tail``.
    """
    columns = _column_keys(network, others or [])
    seen: dict[str, set[float]] = {name: set() for name in columns}
    for frame in frames:
        for name, keys in columns.items():
            numbers = seen[name]
            for key in keys:
                for table in (frame.values, frame.grads):
                    if key in table:
                        numbers.add(table[key])
    cells = {}
    for name, numbers in seen.items():
        cells[name] = max(FEWEST_CELLS, widest(numbers, column_digits(numbers, FULL_CELLS), FULL_CELLS))
    return cells


def _budget(column: str, look: _Look) -> int:
    """Cells a column's numbers may take at most: a weight's in the full form eight, any other seven (eight
    in a roomy look)."""
    roomy = look.form == FULL and (look.roomy or column.startswith("w"))
    return FULL_CELLS if roomy else SMALL_CELLS


class _Numbers:
    """One frame's numbers, each written with its column's digits in its column's cells."""

    def __init__(self, network: Network, frame: Frame, others: list[str], look: _Look, cells: dict[str, int]) -> None:
        self.frame = frame
        self.cells: dict[str, int] = {}
        self._digits: dict[str, int] = {}
        self._grad_digits: dict[str, int] = {}
        for name, keys in _column_keys(network, others).items():
            room = min(cells.get(name, FULL_CELLS), _budget(name, look))
            # Values and gradients each have one count of digits in a column: a tiny δ beside a neuron's
            # output 0.8122 must not cut that to 0.8.
            digits = column_digits([frame.values[key] for key in keys if key in frame.values], room)
            grad_digits = column_digits([frame.grads[key] for key in keys if key in frame.grads], room)
            for key in keys:
                self._digits[key] = digits
                self._grad_digits[key] = grad_digits
                self.cells[key] = room

    def value(self, key: str) -> str | None:
        v = self.frame.values.get(key)
        return None if v is None else written(v, self._digits.get(key, 4), self.cells.get(key))

    def grad(self, key: str) -> str | None:
        """The gradient of ``key`` with the frame's mark for it: ``∂``, ``δ`` (a neuron's delta), ``ṫ`` (a tangent)."""
        g = self.frame.grads.get(key)
        if g is None:
            return None
        mark = self.frame.marks.get(key, self.frame.grad_mark)
        return mark + written(g, self._grad_digits.get(key, 4), self.cells.get(key))

    def label(self, param: str) -> tuple[str, bool]:
        """A weight's or bias's label: its gradient once known (backward), else its value."""
        grad = self.grad(param)
        if grad is not None:
            return grad, True
        return self.value(param) or "0", False


# --- states --------------------------------------------------------------------------------


def _softmax_parts(neuron: Neuron) -> tuple[str, ...]:
    parts = neuron.softmax
    return (parts.largest, parts.exp, parts.total) if parts is not None else ()


def _state(keys: tuple[str, ...], frame: Frame, selected: str | None, highlight: frozenset[str]) -> str:
    """current, selected, highlight, pending or done, for a node drawn for all of ``keys``."""
    if frame.current in keys:
        return "current"
    if selected in keys:
        return "selected"
    if any(key in highlight for key in keys):
        return "highlight"
    if keys[0] not in frame.computed:
        return "pending"
    if frame.grads and not any(key in frame.grads for key in keys):
        return "pending"
    return "done"


def _wire_state(target_keys: tuple[str, ...], source: str, frame: Frame, highlight_edges: frozenset[ViewEdge]) -> str:
    """A wire into a node drawn for ``target_keys`` (a neuron's output and weighted sum) from ``source``."""
    if frame.current in target_keys:
        return "active"
    if any(e.source == source and e.target in target_keys for e in highlight_edges):
        return "highlight"
    if target_keys[0] not in frame.computed:
        return "pending"
    return "done"


def other_nodes(network: Network, keys: list[str]) -> list[str]:
    """Nodes of the groups view that the net's columns do not draw (the loss, a target input).

    A softmax's own nodes (its max, exps and sum) are drawn as its neurons' activation.
    """
    drawn = set(network.inputs)
    for neuron in network.neurons:
        drawn.update((neuron.name, neuron.z, *(s.weight for s in neuron.synapses), *_softmax_parts(neuron)))
        if neuron.bias:
            drawn.add(neuron.bias)
    return [k for k in keys if k not in drawn]


# --- the grid -----------------------------------------------------------------------------


class _Grid:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles = [[""] * width for _ in range(height)]
        self.labels: list[tuple[int, int, int]] = []
        self.masks: dict[tuple[int, int], int] = {}
        self.mask_style: dict[tuple[int, int], str] = {}
        self.arrows: dict[tuple[int, int], str] = {}

    def put(self, x: int, y: int, text: str, style: str) -> int:
        """Write text from column x (one char per cell; wide chars are not used); returns the end column."""
        if not 0 <= y < self.height:
            return x + len(text)
        if text.strip():
            left = x + len(text) - len(text.lstrip())
            self.labels.append((y, left, x + len(text.rstrip())))
        for ch in text:
            if 0 <= x < self.width:
                self.chars[y][x] = ch
                self.styles[y][x] = style
            x += 1
        return x

    def line(self, points: list[tuple[int, int]], state: str) -> None:
        """A wire through ``points`` (each pair on one row or one column), in the style of ``state``."""
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
            forward, back = (E, W) if dx > 0 else (W, E) if dx < 0 else (S, N) if dy > 0 else (N, S)
            x, y = x0, y0
            while (x, y) != (x1, y1):
                self._mark(x, y, forward, state)
                x, y = x + dx, y + dy
                self._mark(x, y, back, state)

    def _mark(self, x: int, y: int, direction: int, state: str) -> None:
        self.masks[(x, y)] = self.masks.get((x, y), 0) | direction
        before = self.mask_style.get((x, y))
        if before is None or _PRIORITY[state] > _PRIORITY[before]:
            self.mask_style[(x, y)] = state

    def arrow(self, x: int, y: int, head: str, state: str) -> None:
        self.arrows[(x, y)] = head
        self._mark(x, y, 0, state)

    def runs(self) -> list[list[tuple[str, str]]]:
        for (x, y), mask in self.masks.items():
            if 0 <= x < self.width and 0 <= y < self.height:
                self.chars[y][x] = self.arrows.get((x, y)) or JOIN[mask]
                self.styles[y][x] = "edge." + self.mask_style[(x, y)]
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


# --- what each column holds ---------------------------------------------------------------


def _terms(neuron: Neuron, named: bool) -> list[tuple[str, str, str | None]]:
    """(label, param, source) of each number drawn with a neuron: its weights, then its bias (source None).

    ``named``: each labelled with its own name; else the weights by their inputs and the bias ``b``.
    """
    out: list[tuple[str, str, str | None]] = [(s.weight if named else s.source, s.weight, s.source) for s in neuron.synapses]
    if neuron.bias:
        out.append((neuron.bias if named else "b", neuron.bias, None))
    return out


def _label_width(neuron: Neuron, named: bool) -> int:
    return max(len(label) for label, _, _ in _terms(neuron, named))


def _heading(neuron: Neuron, titled: bool = False) -> str:
    """A neuron's name and its activation (``h1 σ``), or its name alone under a column's title."""
    return neuron.name if titled else f"{neuron.name} {activation_symbol(neuron.activation)}"


@record(frozen=False)
class _Item:
    """One block of a column: where lines arrive (rows from its top), where its own line leaves."""

    key: str
    w: int
    h: int
    ins: dict[str, int]
    """Source -> the row (from the block's top) its wire arrives on."""
    out: int = 0
    """The row its own line leaves on."""
    out_x: int = 0
    """Where its line starts, from the block's left."""
    kind: str = "neuron"
    neuron: Neuron | None = None
    form: str = FULL
    per_row: int = 1
    """Weights a row (compact forms)."""
    titled: bool = False
    """Its activation is written above its column (the small forms)."""
    y: int = 0


def _input_item(name: str, numbers: _Numbers) -> _Item:
    cells = numbers.cells[name]
    width = max(len(name) + 1 + cells, 2 + cells)
    return _Item(name, width, 2, {}, 0, 0, "input")


def _neuron_item(
    neuron: Neuron, look: _Look, form: str, per_row: int, numbers: _Numbers, current: bool, titled: bool = False,
) -> _Item:
    """A neuron's block; ``titled``: its activation is written above its column, not after its name."""
    terms = _terms(neuron, look.named)
    wcells = max((numbers.cells[p] for _, p, _ in terms), default=look.budget) + 1
    ncells = numbers.cells[neuron.name] + 1
    if form == FULL:
        label_w = _label_width(neuron, look.named)
        text_w = max(len(_heading(neuron)), ncells)
        w = 1 + label_w + 1 + wcells + 3 + 1 + text_w
        ins = {source: i for i, (_, _, source) in enumerate(terms) if source is not None}
        return _Item(neuron.name, w, max(len(terms), 3), ins, 0, 6 + label_w + wcells, neuron=neuron, form=FULL)
    header = 1 + len(_heading(neuron, titled)) + 1 + ncells + 1 + ncells
    cell = _label_width(neuron, look.named) + 1 + wcells
    ins = {s.source: 0 for s in neuron.synapses}
    if form == INLINE:
        w = header + 2 + len(terms) * (cell + LABEL_GAP) - LABEL_GAP + 1
        return _Item(neuron.name, w, 1, ins, 0, 1, neuron=neuron, form=INLINE, per_row=len(terms), titled=titled)
    columns = min(per_row, len(terms))
    rows = -(-len(terms) // per_row) if form == COMPACT or current else 0
    w = max(header, 3 + columns * (cell + LABEL_GAP) - LABEL_GAP) if rows else header
    return _Item(neuron.name, w, 1 + rows, ins, 0, 1, neuron=neuron, form=COMPACT if rows else SUMMARY,
                 per_row=per_row, titled=titled)


def _other_item(name: str, numbers: _Numbers, under: int = 0) -> _Item:
    """A node after the net: under the net ``name value ∂grad`` on one row when ``under`` cells allow it,
    else ``name value`` over its gradient; in its own column, name, value and gradient in three rows."""
    cells = numbers.cells[name] + 1
    if under:
        one = len(name) + 1 + cells + cells
        if one <= under:
            return _Item(name, one, 1, {}, 0, 0, "other", form="one")
        return _Item(name, max(len(name) + cells, 1 + cells), 2, {}, 0, 0, "other")
    return _Item(name, max(len(name), cells), 3, {}, 0, 0, "other")


# --- layout ----------------------------------------------------------------------------------


@record(frozen=False)
class _Plan:
    """Everything a drawing needs before its characters: columns of items, channels, the tail."""

    columns: list[list[_Item]]
    xs: list[int]
    channels: list[dict]
    tail: dict
    width: int
    height: int
    titles: list[str | None]
    """Each column's activation, written once above it (the small forms), or None."""


def _read_by_all(layer: tuple[Neuron, ...], sources: list[str]) -> list[str]:
    """The sources every neuron of ``layer`` reads: a bus may carry those, and only those."""
    return [key for key in sources if all(key in n.inputs for n in layer)]


def _column(
    layer: tuple[Neuron, ...], look: _Look, numbers: _Numbers, gap: int, height: int, current: str | None,
    titled: bool = False,
) -> list[_Item]:
    """One layer's items, in the form that fits ``height`` (compact: as few weights a row as it allows)."""
    most = max(len(_terms(n, look.named)) for n in layer)
    if look.form == FULL:
        choices = [(1, FULL)]
    elif look.form == SUMMARY:
        choices = [(look.per_row, SUMMARY)]
    else:
        choices = [(p, COMPACT) for p in range(min(2, most), most + 1)]
        choices += [(most, INLINE)] if look.form == INLINE else []
    items: list[_Item] = []
    for per_row, form in choices:
        items = [_neuron_item(n, look, form, per_row, numbers, current in (n.name, n.z), titled) for n in layer]
        if not height or sum(i.h for i in items) + gap * (len(items) - 1) <= height:
            break
    return items


def _stack(items: list[_Item], gap: int, top: int) -> int:
    """Rows for a column's items from ``top``; returns the row after the last."""
    y = top
    for item in items:
        item.y = y
        y += item.h + gap
    return y - gap if items else top


def _height(items: list[_Item], gap: int) -> int:
    return sum(i.h for i in items) + gap * (len(items) - 1)


def _tail_chain(network: Network, others: list[str], edges: list[ViewEdge]) -> tuple[list[str], list[str]] | None:
    """(the targets and other leaves, the chain of nodes after the net), or None when they are no chain.

    A chain: each node after the net reads at most the one before it among
    them, and every output neuron or leaf it reads is read by no later one.
    """
    into: dict[str, list[str]] = {}
    for e in edges:
        if e.target in others:
            into.setdefault(e.target, []).append(e.source)
    leaves = [o for o in others if o not in into]
    chain = [o for o in others if o in into]
    last = {n.name for n in network.layers[-1]} if network.layers else set()
    taken: set[str] = set()
    for i, node in enumerate(chain):
        for source in into[node]:
            if source in chain:
                if i == 0 or source != chain[i - 1]:
                    return None
            elif source in taken or (source not in last and source not in leaves):
                return None
        taken.update(s for s in into[node] if s not in chain)
    return leaves, chain


def _layout(
    network: Network, others: list[str], edges: list[ViewEdge], look: _Look, numbers: _Numbers,
    current: str | None, height: int = 0, listed: list[str] | None = None,
) -> _Plan:
    """Columns, channels and the nodes after the net (``listed``: those listed without wires)."""
    gap = 1 if look.spaced else 0
    columns: list[list[_Item]] = [[_input_item(name, numbers) for name in network.inputs]]
    chain = _tail_chain(network, others, edges) if others else ([], [])
    leaves, stacked = chain if chain is not None else (others, [])
    if listed:
        leaves, stacked, chain = listed, [], None
    titles: list[str | None] = [None]
    under: list[_Item] = []
    for k, layer in enumerate(network.layers):
        last = k == len(network.layers) - 1
        if last:
            # The targets under the output neurons: one row each where the layer is wide enough.
            room = max(_neuron_item(n, look, FULL if look.form == FULL else SUMMARY, look.per_row, numbers, False).w
                       for n in layer)
            under = [_other_item(o, numbers, room) for o in leaves]
        extra = (gap + sum(i.h + gap for i in under)) if last and under else 0
        titled = look.form != FULL and len({n.activation for n in layer}) == 1
        titles.append(activation_symbol(layer[0].activation) if titled else None)
        room = max(0, height - extra - titled) if height else 0
        columns.append(_column(layer, look, numbers, gap, room, current, titled))
        if not last:
            continue
    # The net's columns centred on one another (the last from the top when nodes hang below it), the
    # targets right under the output neurons, a row above for the layers' activations in the small forms.
    top = 1 if any(titles) else 0
    heights = [_height(col, gap) for col in columns]
    total = max(heights)
    for col, h in zip(columns, heights):
        _stack(col, gap, top + (total - h) // 2)
    if under:
        if stacked:
            _stack(columns[-1], gap, top)
        y = max(i.y + i.h for i in columns[-1]) + (0 if stacked else gap)
        for item in under:
            item.y = y
            y += item.h + (0 if stacked else gap)
        columns[-1] = columns[-1] + under
    total += top

    # The nodes after the net: a column right of the last, each under the trunk of its inputs.
    tail: dict = {"items": [], "x": 0, "into": {}}
    into: dict[str, list[str]] = {}
    for e in edges:
        if e.target in stacked:
            into.setdefault(e.target, []).append(e.source)
    rows = {item.key: item.y + item.out for col in columns for item in col}
    below = 0
    if stacked and chain is not None:
        for node in stacked:
            sources = [s for s in into[node] if s not in stacked and s in rows]
            joins = [rows[s] for s in sources]
            if tail["items"] and min(joins, default=below) < below:
                return _layout(network, [], edges, look, numbers, current, height, listed=others)
            item = _other_item(node, numbers)
            item.y = max([*joins, below - 1]) + 2
            tail["items"].append(item)
            tail["into"][node] = (sources, any(s in stacked for s in into[node]))
            below = item.y + item.h
    total = max(total, below, *(item.y + item.h for col in columns for item in col))

    # Channels: the wires into each layer.
    channels: list[dict] = []
    for k, layer_items in enumerate(columns[1:], start=1):
        sources = [i.key for i in columns[k - 1] if i.kind != "other"]
        neurons = [i for i in layer_items if i.kind == "neuron"]
        channels.append(_channel(neurons, sources, columns[k - 1]))
    xs = [0]
    x = 0
    for k, col in enumerate(columns):
        if k:
            x += channels[k - 1]["width"]
            xs.append(x)
        x += max(i.w for i in col)
    if tail["items"]:
        tail["x"] = x + 2  # a blank after the widest name of the last column, then the wire
        x = tail["x"] + max(i.w for i in tail["items"])
    return _Plan(columns, xs, channels, tail, x, total, titles)


def _channel(neurons: list[_Item], sources: list[str], before: list[_Item]) -> dict:
    """How the wires into one layer go: per weight row (full form), by a bus, or none; its width.

    A bus is one trunk when one side has one item (a fan-out, or a fan-in) and
    that item's row is not where the trunk goes on past a row of the other
    side's (which would be a ┼ that joins); else two trunks and a link.
    """
    rows = {i.key: i.y + i.out for i in before}
    layer = tuple(i.neuron for i in neurons)
    if neurons and neurons[0].form == FULL:
        # A track for each source; one for its weight rows above its row and one for those below when a
        # weight row is on its own row (reached straight: one track on through that row would be a ┼).
        units = []
        ranks: dict[tuple[str, int], tuple[int, int]] = {}
        owners: dict[tuple[str, int], tuple[str, int]] = {}
        for i, key in enumerate(sources):
            targets = [(n.key, port, n.y + port) for n in neurons for s, port in n.ins.items() if s == key]
            split = any(t[2] == rows[key] for t in targets)
            for side in (-1, 1) if split else (0,):
                mine = [t for t in targets if not split or (t[2] > rows[key]) - (t[2] < rows[key]) == side]
                if mine:
                    units.append(((key, side), rows[key], mine))
                    ranks[(key, side)] = (i, side)
                    owners.update({(key, n, port): (key, side) for n, port, _ in mine})
        gap = route_gap(units, ranks)
        return {"kind": "wires", "gap": gap, "owners": owners, "width": 2 + gap.tracks}
    shared = _read_by_all(layer, sources) if layer else []
    if shared:
        outs, ins = [rows[key] for key in shared], [n.y for n in neurons]
        double = len(outs) > 1 and len(ins) > 1
        if not double:
            one, many = (outs, ins) if len(outs) == 1 else (ins, outs)
            double = min(many) < one[0] < max(many) and one[0] in many
        return {"kind": "bus", "double": double, "sources": shared, "width": 5 if double else 3}
    return {"kind": "none", "width": 2}


# --- drawing ---------------------------------------------------------------------------------


def draw_network(
    network: Network,
    frame: Frame,
    others: list[str] | None = None,
    selected: str | None = None,
    highlight_nodes: frozenset[str] = frozenset(),
    highlight_edges: frozenset[ViewEdge] = frozenset(),
    height: int = 0,
    width: int = 0,
    edges: Iterable[ViewEdge] = (),
    cells: dict[str, int] | None = None,
    too_big: set | None = None,
) -> NeuronCanvas:
    """Draw the net at one frame in the largest form that fits ``width`` × ``height`` (0: any).

    ``edges``: the view's edges (the wires into the nodes after the net come
    from them); ``cells``: each column's cells (:func:`column_cells`), else
    every column as wide as its form allows. ``too_big``: a set the caller
    keeps for one net, edges and cells, where the looks that did not fit a
    window are noted, so the next frame does not lay them out again (only the
    summary form's size depends on the frame: its current neuron's weights).
    """
    others = others or []
    edges = list(edges)
    cells = cells or {}
    tried = []
    written_for: dict[tuple[bool, bool], _Numbers] = {}
    """The frame's numbers by (full form, roomy): the only differences between looks for them."""
    forms = ((FULL, 3, True), (FULL, 3, False), (COMPACT, 3, False), (INLINE, 3, False), (SUMMARY, 3, False),
             (SUMMARY, 2, False), (SUMMARY, 1, False))
    # Weights by their own names in any form (the smallest shows the current neuron's only) before
    # weights named by their inputs, which read as the inputs' own numbers.
    for form, per_row, roomy, named in [(*f, True) for f in forms] + [(*f, False) for f in forms]:
        for spaced in (True, False):
            look = _Look(form, spaced, named, per_row, roomy)
            if too_big is not None and (width, height, look) in too_big:
                continue
            key = (form == FULL, roomy)
            numbers = written_for.get(key)
            if numbers is None:
                numbers = written_for[key] = _Numbers(network, frame, others, look, cells)
            plan = _layout(network, others, edges, look, numbers, frame.current, height)
            if (not height or plan.height <= height) and (not width or plan.width <= width):
                if too_big is not None:
                    too_big.update((width, height, t[0]) for t in tried if t[0].form != SUMMARY)
                return _draw(network, frame, edges, selected, highlight_nodes, highlight_edges, look, numbers, plan)
            tried.append((look, numbers, plan))
    if too_big is not None and any(key[:2] == (width, height) for key in too_big):
        # Nothing fits this frame: choose among every look, as without the notes.
        return draw_network(network, frame, others, selected, highlight_nodes, highlight_edges, height, width,
                            edges, cells)
    # Nothing fits: the shortest drawing that fits the width (scrolled down), else the narrowest; weights
    # by their own names are worth a few rows more.
    wide_enough = [t for t in tried if not width or t[2].width <= width]
    look, numbers, plan = (
        min(wide_enough, key=lambda t: t[2].height + (0 if t[0].named else NAMES_WORTH)) if wide_enough
        else min(tried, key=lambda t: t[2].width)
    )
    return _draw(network, frame, edges, selected, highlight_nodes, highlight_edges, look, numbers, plan)


def _keys(item: _Item) -> tuple[str, ...]:
    """The view's nodes an item stands for: a neuron's output, weighted sum and softmax parts."""
    if item.neuron is None:
        return (item.key,)
    return (item.neuron.name, item.neuron.z, *_softmax_parts(item.neuron))


def _draw(
    network: Network, frame: Frame, edges: list[ViewEdge], selected: str | None, highlight_nodes: frozenset[str],
    highlight_edges: frozenset[ViewEdge], look: _Look, numbers: _Numbers, plan: _Plan,
) -> NeuronCanvas:
    grid = _Grid(plan.width, plan.height)
    blocks: dict[str, Block] = {}
    states: dict[str, str] = {}
    for k, col in enumerate(plan.columns):
        x = plan.xs[k]
        for item in col:
            keys = _keys(item)
            state = states[item.key] = _state(keys, frame, selected, highlight_nodes)
            blocks[item.key] = Block(x, item.y, item.w, item.h)
            if item.kind == "input":
                _input_text(grid, x, item, numbers, state)
            elif item.kind == "other":
                _other_text(grid, x, item.y, item.key, numbers, state, 1 if item.form == "one" else 2)
            elif item.form == FULL:
                _full_neuron(grid, x, item, look, numbers, frame, state, highlight_edges)
            else:
                _compact_neuron(grid, x, item, look, numbers, state)
    for layer in network.layers:
        # A softmax's own nodes are drawn as its neurons' activation: its exp as each neuron, its max and
        # sum as the whole layer (a step about them shows the layer).
        parts = [n for n in layer if n.softmax is not None and n.name in blocks]
        if parts:
            top = min(blocks[n.name].y for n in parts)
            bottom = max(blocks[n.name].y + blocks[n.name].h for n in parts)
            left = min(blocks[n.name].x for n in parts)
            right = max(blocks[n.name].x + blocks[n.name].w for n in parts)
            whole = Block(left, top, right - left, bottom - top)
            for n in parts:
                blocks.setdefault(n.softmax.exp, blocks[n.name])
                blocks.setdefault(n.softmax.largest, whole)
                blocks.setdefault(n.softmax.total, whole)
    for k, title in enumerate(plan.titles):
        if title:
            grid.put(plan.xs[k] + 1, 0, title, "text.done")
    for k, channel in enumerate(plan.channels, start=1):
        _wires(grid, plan, k, channel, frame, highlight_edges, states)
    _tail(grid, plan, frame, highlight_nodes, highlight_edges, selected, numbers, blocks, states)
    return NeuronCanvas(plan.width, plan.height, grid.runs(), blocks, look.form != FULL, grid.labels,
                        dict(grid.masks), dict(grid.arrows))


def _name_style(state: str) -> str:
    """A name's style: the current and selected ones in reverse video (a mark that needs no colour)."""
    return f"chip.{state}" if state in ("current", "selected") else f"title.{state}"


def _input_text(grid: _Grid, x: int, item: _Item, numbers: _Numbers, state: str) -> None:
    end = grid.put(x, item.y, item.key, _name_style(state))
    value = numbers.value(item.key)
    if value is not None:
        grid.put(end + 1, item.y, value, f"value.{state}")
    grad = numbers.grad(item.key)
    if grad is not None:
        grid.put(x + 1, item.y + 1, grad, f"grad.{state}")


def _other_text(grid: _Grid, x: int, y: int, key: str, numbers: _Numbers, state: str, rows: int) -> None:
    """A node after the net in ``rows`` rows: ``name value ∂grad``; ``name value`` over its gradient; or
    name, value and gradient one under another."""
    end = grid.put(x, y, key, _name_style(state))
    value = numbers.value(key)
    if value is not None:
        grid.put(end + 1 if rows < 3 else x, y if rows < 3 else y + 1, value, f"value.{state}")
    grad = numbers.grad(key)
    if grad is not None:
        after = x + len(key) + 1 + (len(value) + 1 if value is not None else 0)
        at = {1: (after, y), 2: (x + 1, y + 1), 3: (x, y + 2)}[rows]
        grid.put(*at, grad, f"grad.{state}")


def _neuron_numbers(item: _Item, numbers: _Numbers, frame: Frame) -> tuple[str | None, str | None]:
    """A neuron's value, and its δ (the gradient of its weighted sum, where the frame marks it δ) or else the
    number its output has (the error arrived, ``∂``; a forward-mode tangent, ``ṫ``)."""
    neuron = item.neuron
    value = numbers.value(neuron.name) if neuron.name in frame.computed else None
    if neuron.z != neuron.name and neuron.z in frame.marks:
        return value, numbers.grad(neuron.z)  # δ, once the frame marks it so
    # The error arriving at its output (∂), or in forward mode the output's tangent (ṫ).
    return value, numbers.grad(neuron.name)


def _full_neuron(
    grid: _Grid, x: int, item: _Item, look: _Look, numbers: _Numbers, frame: Frame, state: str,
    highlight_edges: frozenset[ViewEdge],
) -> None:
    neuron = item.neuron
    terms = _terms(neuron, look.named)
    label_w = _label_width(neuron, look.named)
    wcells = max(numbers.cells[p] for _, p, _ in terms) + 1
    count = len(terms)
    keys = _keys(item)
    for i, (label, param, source) in enumerate(terms):
        wire = _wire_state(keys, source, frame, highlight_edges) if source else (
            "active" if frame.current in keys else "done")
        text, is_grad = numbers.label(param)
        grid.put(x + 1, item.y + i, label.rjust(label_w), f"title.{'pending' if wire == 'pending' else 'done'}")
        grid.put(x + 2 + label_w, item.y + i, text.rjust(wcells), f"{'grad' if is_grad else 'value'}.{wire}")
        bracket = "─" if count == 1 else ("┐" if i == 0 else "┘" if i == count - 1 else "┤")
        grid.put(x + 3 + label_w + wcells, item.y + i, "─" + bracket, f"edge.{wire}")
    tx = x + 6 + label_w + wcells
    grid.put(tx, item.y, neuron.name, _name_style(state))
    grid.put(tx + len(neuron.name) + 1, item.y, activation_symbol(neuron.activation), f"text.{state}")
    value, grad = _neuron_numbers(item, numbers, frame)
    if value is not None:
        grid.put(tx, item.y + 1, value, f"value.{state}")
    if grad is not None:
        grid.put(tx, item.y + 2, grad, f"grad.{state}")


def _compact_neuron(grid: _Grid, x: int, item: _Item, look: _Look, numbers: _Numbers, state: str) -> None:
    """The neuron on one row (after its arrow), then each weight (and the bias) with its name in rows under it
    (``w11 0.15  b1 0.35``); inline, the weights first on the row, then ``─`` and the neuron, as the full form."""
    neuron = item.neuron
    frame = numbers.frame
    wire = "active" if state == "current" else ("pending" if neuron.name not in frame.computed else "done")
    terms = _terms(neuron, look.named)
    label_w = _label_width(neuron, look.named)
    step = label_w + 1 + max(numbers.cells[p] for _, p, _ in terms) + 1 + LABEL_GAP
    start = x + 1
    if item.form == INLINE:
        start += len(terms) * step - LABEL_GAP + 1
        grid.put(start, item.y, "─", f"edge.{wire}")
        start += 2
    end = grid.put(start, item.y, neuron.name, _name_style(state))
    if not item.titled:
        end = grid.put(end + 1, item.y, activation_symbol(neuron.activation), f"text.{state}")
    value, grad = _neuron_numbers(item, numbers, frame)
    if value is not None:
        end = grid.put(end + 1, item.y, value, f"value.{state}")
    if grad is not None:
        grid.put(end + 1, item.y, grad, f"grad.{state}")
    if item.form == SUMMARY:
        return
    for i, (label, param, _) in enumerate(terms):
        text, is_grad = numbers.label(param)
        if item.form == INLINE:
            left, top = x + 1 + i * step, item.y
        else:
            row, col = divmod(i, item.per_row)
            left, top = x + 3 + col * step, item.y + 1 + row
        grid.put(left, top, label.rjust(label_w), f"title.{'pending' if wire == 'pending' else 'done'}")
        grid.put(left + label_w + 1, top, text, f"{'grad' if is_grad else 'value'}.{wire}")


def _out_start(x: int, item: _Item, grid: _Grid, to: int) -> tuple[int, int]:
    """The first cell of an item's own line towards column ``to``: one blank after its text on its out row,
    or none where the text reaches so far that the line would have no cell before ``to``."""
    row = item.y + item.out
    chars = grid.chars[row]
    end = x + item.w
    while end > x + item.out_x and chars[end - 1] == " ":
        end -= 1
    return (end + 1 if end + 1 < to else end), row


def _wires(
    grid: _Grid, plan: _Plan, k: int, channel: dict, frame: Frame, highlight_edges: frozenset[ViewEdge],
    states: dict[str, str],
) -> None:
    """The wires of the channel into column ``k``."""
    before, after = plan.columns[k - 1], plan.columns[k]
    left = plan.xs[k - 1] + max(i.w for i in before)
    x_in = plan.xs[k]
    sources = {i.key: i for i in before if i.kind != "other"}
    neurons = [i for i in after if i.kind == "neuron"]
    if channel["kind"] == "wires":
        gap = channel["gap"]
        for n in neurons:
            keys = _keys(n)
            for source, port in n.ins.items():
                if source not in sources:
                    continue  # a weight whose input is not in the column before: named, not wired
                item = sources[source]
                start = _out_start(plan.xs[k - 1], item, grid, left + 1)
                tr = n.y + port
                owner = channel["owners"].get((source, n.key, port))
                wire = _wire_state(keys, source, frame, highlight_edges)
                points = [start]
                jog = gap.detour.get((owner, n.key, port))
                if jog is not None:
                    f, jt = jog
                    tx, jx = left + 1 + gap.track[owner], left + 1 + jt
                    points += [(tx, start[1]), (tx, f), (jx, f), (jx, tr)]
                elif start[1] != tr and owner in gap.track:
                    tx = left + 1 + gap.track[owner]
                    points += [(tx, start[1]), (tx, tr)]
                points.append((x_in, tr))
                grid.line(points, wire)
                grid.arrow(x_in, tr, ARROW, wire)
        return
    if channel["kind"] != "bus":
        return
    rows_in = [(n, n.y) for n in neurons]
    outs = [(_out_start(plan.xs[k - 1], sources[key], grid, left + 1), sources[key]) for key in channel["sources"]]
    wires = {n.key: _wire_state(_keys(n), "", frame, highlight_edges) for n in neurons}
    strongest = max(wires.values(), key=_PRIORITY.__getitem__, default="done")
    a = left + 1
    b = a + 2 if channel["double"] else a
    out_rows = {start[1] for start, _ in outs}
    in_rows = {y for _, y in rows_in}
    for start, item in outs:
        grid.line([start, (a, start[1])], "done" if item.key in frame.computed else "pending")
    if channel["double"]:
        span = sorted(out_rows | in_rows)
        free = [r for r in range(span[0], span[-1] + 1) if r not in out_rows and r not in in_rows]
        link = free[len(free) // 2] if free else span[-1] + 1
        grid.line([(a, min(min(out_rows), link)), (a, max(max(out_rows), link))], strongest)
        grid.line([(a, link), (b, link)], strongest)
        grid.line([(b, min(min(in_rows), link)), (b, max(max(in_rows), link))], strongest)
    else:
        rows = sorted(out_rows | in_rows)
        grid.line([(a, rows[0]), (a, rows[-1])], strongest)
    for n, y in rows_in:
        grid.line([(b, y), (x_in, y)], wires[n.key])
        grid.arrow(x_in, y, ARROW, wires[n.key])


def _tail(
    grid: _Grid, plan: _Plan, frame: Frame, highlight_nodes: frozenset[str], highlight_edges: frozenset[ViewEdge],
    selected: str | None, numbers: _Numbers, blocks: dict[str, Block], states: dict[str, str],
) -> None:
    """The nodes after the net, each under the trunk that gathers its inputs, ``▼`` on its name."""
    tail = plan.tail
    if not tail["items"]:
        return
    x = tail["x"]
    last = plan.columns[-1]
    starts = {i.key: _out_start(plan.xs[-1], i, grid, x) for i in last}
    previous: _Item | None = None
    for item in tail["items"]:
        sources, chained = tail["into"][item.key]
        keys = (item.key,)
        wire = _wire_state(keys, "", frame, highlight_edges)
        state = _state(keys, frame, selected, highlight_nodes)
        blocks[item.key] = Block(x, item.y, item.w, item.h)
        for source in sources:
            start = starts[source]
            source_wire = "highlight" if any(e.source == source and e.target == item.key for e in highlight_edges) else wire
            grid.line([start, (x, start[1])], source_wire)
        joins = [starts[s][1] for s in sources]
        top = min([*joins, *([previous.y + previous.h] if previous is not None and chained else [])], default=item.y - 1)
        grid.line([(x, top), (x, item.y - 1)], wire)
        grid.arrow(x, item.y - 1, DOWN, wire)
        _other_text(grid, x, item.y, item.key, numbers, state, 3)
        previous = item


def plain(canvas: NeuronCanvas) -> str:
    """The drawing as plain text (tests, snapshots)."""
    return "\n".join("".join(text for text, _ in row).rstrip() for row in canvas.rows)
