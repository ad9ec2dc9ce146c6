"""A graph of ``Value`` objects (the tutor's, or micrograd's own) read into a tutor ``Graph``.

Any object with ``data``, ``_prev`` and ``_op`` is read, by its ``_op`` string:
``+``, ``*``, ``**k``, ``ReLU``, ``tanh``, ``exp``, ``log``, ``sigmoid`` (and ``-``,
``/`` from engines that have them). The nodes keep the order they were made
in (the tutor's ``Value`` numbers them; for other objects, the depth-first
order micrograd's own ``backward`` walks), so the trace adds each gradient's
contributions in the order ``backward()`` did, and shows the same numbers.

The primitives are grouped as a person would write them (``value_groups``);
leaves in ``params`` are params, the numbers the operators wrapped are
constants, the other leaves inputs. Names come from ``label``; the rest get
short ones in the order they were made: ``x1`` for inputs, ``p1`` for params,
``w{l}_{j}_{i}``, ``b{l}_{j}`` and ``a{l}_{j}`` inside a net (as the
``network:`` shorthand names them), ``mul3``, ``tanh7`` for the other nodes.
Every problem is a ``ValueGraphError``: one sentence, no traceback.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import field
from operator import attrgetter

from tutor.engine.expr import normalize_name
from tutor.engine.expr_text import NotWritable, combine, name_part, number_part
from tutor.engine.graph import Graph
from tutor.engine.ops import FUNCTIONS, OPS, evaluate
from tutor.engine.value import Constant, CycleError, Value, topological
from tutor.engine.value_groups import Shape, group_roots
from tutor.records import record

OP_NAMES = {
    "+": "add", "*": "mul", "ReLU": "relu", "relu": "relu", "tanh": "tanh", "exp": "exp", "log": "log",
    "sigmoid": "sigmoid", "-": "sub", "/": "div",
}
"""``_op`` strings -> the op table's ops (a power ``**k`` is ``powc`` with the exponent k)."""
KNOWN_OPS = "+, *, **k, ReLU, tanh, exp, log, sigmoid, - and /"

PREFIXES = {"powc": "pow"}
"""Names read as a learner names the op (``pow1``, not the table's ``powc``), as the loader's derived names do."""


class ValueGraphError(ValueError):
    """A graph that cannot be read: one sentence saying why."""


@record(frozen=False, slots=True)
class ValueGraph:
    """The graph read from Value objects, with what a scenario needs to show it."""

    graph: Graph
    inputs: dict[str, float]
    params: dict[str, float]
    expressions: dict[str, str]
    """Each named node's expression, in the order they were made (what a scenario's ``nodes:`` holds)."""
    output: str
    objects: tuple = field(default=(), repr=False)
    """The object behind each of ``graph.nodes``, in the same order."""
    made_by: str = "Value"
    """What made the objects: ``tutor.Value``, or the class of someone else's (``micrograd.engine.Value``)."""


def read_values(
    root: object,
    params: Iterable[object] | None = None,
    *,
    limit: int | None = None,
    max_depth: int | None = None,
) -> ValueGraph:
    """The graph that ends at ``root``.

    ``params``: the leaves training may change (``model.parameters()``). ``limit``:
    the most nodes (leaves included) accepted. ``max_depth``: the deepest one
    expression may nest (a file's parser has a limit; the app has none).
    """
    _check_value(root, "the output")
    learnable = _params(params)
    if not _children(root._prev):
        raise ValueGraphError(
            f"the output is a leaf ({_described(root)}, data {root.data!r}): there is nothing to step through; "
            "pass the Value your computation ends in"
        )
    nodes = _collect(root, limit)
    shape = _shape(nodes, learnable)
    # The order the primitives were made in is known for the tutor's Values only (micrograd's own
    # backward adds in an order its sets choose by memory address): keep it where it is known.
    named = group_roots(shape, max_depth, keep_order=all(isinstance(node, Value) for node in nodes))
    names = _names(nodes, shape, named)
    return _build(nodes, shape, named, names)


# -- collecting the nodes ------------------------------------------------------------------------------------


def _check_value(x: object, what: str) -> None:
    if not all(hasattr(x, a) for a in ("data", "_prev", "_op")):
        raise ValueGraphError(
            f"{what} must be a Value (an object with data, _prev and _op, as micrograd's), not {_shown(x)}"
        )


def _params(params: Iterable[object] | None) -> set[int]:
    if params is None:
        return set()
    try:
        items = list(params)
    except TypeError:
        raise ValueGraphError(f"params must be a list of Values, not {_shown(params)}") from None
    for item in items:
        _check_value(item, "every param")
    return {id(item) for item in items}


def _collect(root: object, limit: int | None) -> list:
    """Every node ``root`` depends on, inputs before the nodes that use them (root last)."""
    nodes = [root]
    seen = {id(root)}
    ours = isinstance(root, Value)  # tutor.Values all, each made after its inputs: their order is known
    most = limit if limit is not None else len(_NO_LIMIT)
    for node in nodes:  # the list grows while it is walked
        children = node._prev
        if type(children) is not tuple:
            children = _children(children)
        if ours:
            order = node._order
            for child in children:
                if not isinstance(child, Value) or child._order >= order:
                    ours = False
                    break
        for child in children:
            if id(child) not in seen:
                if not isinstance(child, Value):
                    _check_value(child, "every input in _prev")
                seen.add(id(child))
                nodes.append(child)
        if len(nodes) > most:
            raise ValueGraphError(
                f"the graph has more than {most:,} nodes, more than the tutor steps through: show the "
                "loss of one data point (one sample through the model) instead of the whole data set"
            )
    if ours:
        # As Value.backward orders them (its reverse): the order they were made in.
        nodes.sort(key=_ORDER)
        return nodes
    try:
        return topological(root)
    except CycleError as error:
        raise ValueGraphError(str(error)) from None


_NO_LIMIT = range(1 << 62)
_ORDER = attrgetter("_order")


def _children(prev: object) -> tuple:
    if prev is None:
        return ()
    try:
        return tuple(prev)
    except TypeError:
        raise ValueGraphError(f"a node's _prev must hold its inputs, not {_shown(prev)}") from None


# -- each node's op, inputs and value ------------------------------------------------------------------------


def _shape(nodes: list, learnable: set[int]) -> Shape:
    """The nodes as plain lists (kind, op, inputs, param...) for grouping and building."""
    position = {id(node): i for i, node in enumerate(nodes)}
    shape = Shape(len(nodes), len(nodes) - 1)
    kinds, ops, params, inputs_of, values, labelled = (
        shape.kinds, shape.ops, shape.params, shape.inputs, shape.values, shape.labelled
    )
    wrapped = [False] * len(nodes)
    for i, node in enumerate(nodes):
        prev = node._prev
        children = prev if type(prev) is tuple else _children(prev)
        label = node.label if type(node) is Value else _label(node)
        if label:
            labelled[i] = True
        if not children:
            data = node.data
            values[i] = data if type(data) is float else _number(node)
            if id(node) in learnable:
                kinds[i] = "param"
            else:
                kinds[i] = "input"
                wrapped[i] = not label and isinstance(node, Constant)
            continue
        if id(node) in learnable:
            raise ValueGraphError(f"params must be leaves, but one of them ({_described(node)}) is made by an op")
        text = node._op
        op = OP_NAMES.get(text) if type(text) is str else None
        if op is None:
            op, params[i] = _op_of(node)
        ops[i] = op
        inputs = tuple([position[id(c)] for c in children])
        if len(inputs) != (1 if op in _UNARY else 2):
            inputs = _arity(op, inputs, prev, node)
        elif len(inputs) == 2 and type(prev) is not tuple and isinstance(prev, (set, frozenset)):
            inputs = _ordered(op, inputs, nodes, node, shape)
        inputs_of[i] = inputs
    shape.count_uses()
    if not any(isinstance(node, Value) for node in nodes):
        # micrograd's own Value keeps no mark on the numbers its operators wrapped (the 2 of 2 * v):
        # there, an unlabelled leaf used once is taken for one, unless that would leave no input at all.
        guessed = [shape.kinds[i] == "input" and not shape.labelled[i] and shape.uses[i] == 1 for i in range(len(nodes))]
        if any(shape.kinds[i] == "input" and not guessed[i] for i in range(len(nodes))):
            wrapped = guessed
    for i, constant in enumerate(wrapped):
        if constant and shape.uses[i] == 1:
            shape.kinds[i] = "const"  # a number an operator wrapped, used where it was written
    return shape


_UNARY = frozenset(op.name for op in OPS.values() if op.arity == 1)


def _arity(op: str, inputs: tuple[int, ...], prev: object, node: object) -> tuple[int, ...]:
    """The inputs of a node whose ``_prev`` does not hold one per operand: micrograd's set keeps a * a's
    one input once (two operands here); any other count is refused."""
    arity = OPS[op].arity
    if len(inputs) == 1 and arity == 2 and isinstance(prev, (set, frozenset, dict)):
        return inputs * 2
    plural = "input" if arity == 1 else "inputs"
    raise ValueGraphError(
        f"a node with op {node._op!r} has {len(inputs)} inputs in _prev, where {op} takes {arity} {plural}"
    )


def _op_of(node: object) -> tuple[str, float]:
    text = node._op
    if isinstance(text, str):
        if text in OP_NAMES:
            return OP_NAMES[text], 0.0
        if text.startswith("**"):
            exponent = getattr(node, "_exponent", None) if isinstance(node, Value) else None
            if exponent is None:
                try:
                    exponent = float(text[2:])
                except ValueError:
                    raise ValueGraphError(f"cannot read the exponent of a node with op {text!r}") from None
            return "powc", exponent
    raise ValueGraphError(
        f"the graph has a node with op {text!r}, which the tutor does not know (it reads {KNOWN_OPS})"
    )


def _ordered(op: str, inputs: tuple[int, int], nodes: list, node: object, shape: Shape) -> tuple[int, int]:
    """A set keeps no order. ``a - b`` takes the order that gives the node's own value; ``w * x`` and
    ``b + w * x`` the order micrograd's ``Neuron`` writes them in: a param first in a product, a sum
    first in a sum (so a neuron's sum reads as one chain)."""
    first, second = inputs
    if op in ("mul", "add"):
        kinds, ops = shape.kinds, shape.ops
        if op == "mul" and kinds[second] == "param" and kinds[first] != "param":
            return second, first
        if op == "add" and ops[second] == "add" and ops[first] != "add":
            return second, first
        return inputs
    a, b = (_number(nodes[i], quiet=True) for i in inputs)
    if evaluate(OPS[op], (a, b), 0.0) != _number(node, quiet=True) and evaluate(OPS[op], (b, a), 0.0) == node.data:
        return inputs[1], inputs[0]
    return inputs


def _number(node: object, quiet: bool = False) -> float:
    data = node.data
    if isinstance(data, numbers.Real) and not isinstance(data, bool):
        try:
            return float(data)
        except (OverflowError, ValueError):
            pass
    if quiet:
        return math.nan
    raise ValueGraphError(f"every node's data must be a number, but one ({_described(node)}) holds {_shown(data)}")


def _label(node: object) -> str:
    label = getattr(node, "label", "")
    return label if isinstance(label, str) else ""


# -- names -------------------------------------------------------------------------------------------------


def _names(nodes: list, shape: Shape, named: list[bool]) -> list[str]:
    """A unique valid name for every leaf (but constants) and every group root: labels first, then the rest."""
    names = [""] * len(nodes)
    taken: set[str] = set()
    kinds = shape.kinds
    for i, node in enumerate(nodes):
        if named[i] or kinds[i] in ("input", "param"):
            name = valid_name(_label(node))
            if name:
                names[i] = unique(name, taken)
    for i, name in shape.neuron_names(named).items():
        if not names[i]:
            names[i] = unique(name, taken)
    counts: dict[str, int] = {}
    for i in range(len(nodes)):
        if names[i] or kinds[i] == "const" or (kinds[i] == "op" and not named[i]):
            continue
        kind = shape.kinds[i]
        prefix = "x" if kind == "input" else "p" if kind == "param" else PREFIXES.get(shape.ops[i], shape.ops[i])
        while True:
            counts[prefix] = counts.get(prefix, 0) + 1
            name = f"{prefix}{counts[prefix]}"
            if name not in taken:
                break
        taken.add(name)
        names[i] = name
    return names


def valid_name(label: str) -> str:
    """``label`` as a scenario name (letters, digits and _, not a keyword or a function), or ''."""
    import keyword

    text = normalize_name(label.strip())
    if not text:
        return ""
    chars = [c if ("_" + c).isidentifier() else "_" for c in text]
    name = "".join(chars).strip("_") or ""
    if not name:
        return ""
    if not name[0].isidentifier():
        name = "_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in FUNCTIONS:
        name += "_"
    name = normalize_name(name)
    return name if name.isidentifier() else ""


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... the first not in ``taken`` (which then holds it)."""
    candidate, k = name, 1
    while candidate in taken:
        k += 1
        candidate = f"{name}_{k}"
    taken.add(candidate)
    return candidate


# -- the graph -----------------------------------------------------------------------------------------------


def _build(nodes: list, shape: Shape, named: list[bool], names: list[str]) -> ValueGraph:
    """Leaves first (inputs, then params), then each named node's primitives as the loader emits them
    (post-order, left to right, constants where they stand), each named node's expression with them."""
    graph = Graph()
    kinds, ops, inputs_of, values, params_of = shape.kinds, shape.ops, shape.inputs, shape.values, shape.params
    where = [-1] * len(nodes)
    parts: list = [None] * len(nodes)
    objects: list = []
    leaves: dict[str, dict[str, float]] = {"input": {}, "param": {}}
    for kind, into in leaves.items():
        for i in range(len(nodes)):
            if kinds[i] == kind:
                where[i] = graph.add_leaf(names[i], kind, values[i])
                into[names[i]] = values[i]
                parts[i] = name_part(names[i])
                objects.append(nodes[i])
    expressions: dict[str, str] = {}
    for root in range(len(nodes)):
        if not named[root]:
            continue
        group = names[root]
        counts: dict[str, int] = {}
        members: list[int] = []
        stack = [root]
        ready: set[int] = set()
        while stack:
            i = stack[-1]
            if kinds[i] == "const":
                stack.pop()
                counts["c"] = k = counts.get("c", 0) + 1
                where[i] = graph.add_leaf(f"{group}.c{k}", "const", values[i], group=group)
                parts[i] = number_part(values[i])
                objects.append(nodes[i])
                continue
            if i not in ready:
                ready.add(i)
                stack.extend(
                    j for j in reversed(inputs_of[i]) if kinds[j] == "const" or (kinds[j] == "op" and not named[j])
                )
                continue
            stack.pop()
            op = ops[i]
            if i == root:
                name = group
            else:
                prefix = PREFIXES.get(op, op)
                counts[prefix] = k = counts.get(prefix, 0) + 1
                name = f"{group}.{prefix}{k}"
            ins = inputs_of[i]
            where[i] = graph.add_op(name, op, tuple([where[j] for j in ins]), group=group, param=params_of[i])
            try:
                parts[i] = combine(op, params_of[i], [parts[j] for j in ins], name)
            except NotWritable as problem:
                raise ValueGraphError(str(problem)) from None
            members.append(where[i])
            objects.append(nodes[i])
        graph.add_group(group, tuple(members))
        expressions[group] = parts[root][0]
        parts[root] = name_part(group)  # the nodes that use it name it
    graph.output = where[len(nodes) - 1]
    return ValueGraph(
        graph, leaves["input"], leaves["param"], expressions, names[-1], tuple(objects), _maker(nodes[-1])
    )


def _maker(node: object) -> str:
    cls = type(node)
    if isinstance(node, Value):
        return "tutor.Value"
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", "__main__") else f"{module}.{cls.__qualname__}"


def _shown(x: object) -> str:
    text = repr(x)
    if len(text) > 40:
        text = text[:39] + "…"
    return f"{type(x).__name__} {text}"


def _described(node: object) -> str:
    label = _label(node)
    if label:
        return f"label {label!r}"
    return f"op {getattr(node, '_op', '')!r}"
