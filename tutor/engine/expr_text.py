"""A named node's primitives written back as the expression a scenario file would hold.

The inverse of ``expr.build``: the group ``h1`` made of ``h1.mul1``, ``h1.add1``
and the root ``h1`` reads ``sigmoid(w1 * x1 + b1)`` again, and parsing that text
gives the same primitives, in the same order, with the same derived names.
Operands are parenthesised only where Python's precedence needs it; constants
are written so they read back to the same float, bit for bit.
"""

from __future__ import annotations

import math

from tutor.engine.graph import Graph
from tutor.engine.ops import FUNCTIONS

_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5
"""Python's precedence levels, loosest first, for the operators an expression may use."""
_SIGNED, _NUMBER = 3.5, 5.5
"""A constant's level: a negative one binds as unary minus does, a positive one as a name; both are
told from other operands, since the loader folds some shapes over constants into other ops."""

_BINARY = {"add": ("+", _SUM), "sub": ("-", _SUM), "mul": ("*", _PRODUCT), "div": ("/", _PRODUCT)}
_CALLS = tuple(FUNCTIONS)
"""The ops written as calls (``exp(x)``, ``max(a, b)``): the op table's."""


class NotWritable(ValueError):
    """A group no expression can produce (an identity inside a group, a non-finite constant...)."""


def number_text(x: float) -> str:
    """``x`` as a scenario number that reads back as the same float: ``2``, ``-0.5``, ``1e-05``, ``-0.0``
    (``inf`` and ``nan`` read as Python writes them, though a scenario file refuses them)."""
    if not math.isfinite(x):
        return repr(x)
    if x.is_integer() and abs(x) < 1e15 and not (x == 0 and math.copysign(1.0, x) < 0):
        return str(int(x))
    return repr(x)


Part = tuple[str, float]
"""An operand as written: its text and its precedence level."""


def number_part(x: float) -> Part:
    """A constant as an operand."""
    text = number_text(x)
    return text, _SIGNED if text.startswith("-") else _NUMBER


def name_part(name: str) -> Part:
    """A name (a leaf or another named node) as an operand."""
    return name, _ATOM


def group_expression(graph: Graph, name: str) -> str:
    """The expression of named node ``name``: its group's primitives, other names as operands."""
    root = graph.index[name]
    nodes = graph.nodes
    node = nodes[root]
    if node.kind != "op":
        raise NotWritable(f"'{name}' is a leaf, not a node with an expression")
    members = set(graph.groups.get(name, (root,)))
    if node.op == "identity":
        source = nodes[node.inputs[0]]
        if source.index in members:
            raise NotWritable(f"'{name}' copies a primitive of its own group, which no expression writes")
        return source.name
    done: dict[int, Part] = {}
    stack = [(root, False)]
    while stack:  # post-order without recursion: a group may nest thousands deep
        index, ready = stack.pop()
        node = nodes[index]
        if not ready:
            stack.append((index, True))
            stack.extend((i, False) for i in reversed(node.inputs) if i in members and i != root)
            continue
        parts = []
        for i in node.inputs:
            source = nodes[i]
            if i in done:
                parts.append(done[i])
            elif source.kind == "const" and source.group == name:
                parts.append(number_part(source.value))
            else:
                parts.append(name_part(source.name))
        done[index] = combine(node.op, node.param, parts, node.name)
    return done[root][0]


def _wrapped(part: Part, needed: int) -> str:
    text, level = part
    return text if int(level) >= needed else f"({text})"


def combine(op: str, param: float, parts: list[Part], name: str) -> Part:
    """Node ``name`` (an ``op`` with constant ``param``) over its operands, as written in an expression."""
    if op in _BINARY:
        symbol, level = _BINARY[op]
        left, right = parts
        if op == "div" and left[1] in (_SIGNED, _NUMBER) and float(left[0]) == 1.0:
            raise NotWritable(f"'{name}' divides the constant 1, which a scenario reads as a reciprocal node")
        # left-associative: the right operand binds tighter than the operator
        return f"{_wrapped(left, level)} {symbol} {_wrapped(right, level + 1)}", level
    if op == "neg":
        (operand,) = parts
        if operand[1] in (_SIGNED, _NUMBER):
            raise NotWritable(f"'{name}' negates a constant, which a scenario reads as a negative constant")
        return f"-{_wrapped(operand, _UNARY)}", _UNARY
    if op == "reciprocal":
        return f"1 / {_wrapped(parts[0], _UNARY)}", _PRODUCT
    if op == "powc":
        # right-associative: the base binds tighter than **, the exponent may be signed
        return f"{_wrapped(parts[0], _ATOM)} ** {number_text(param)}", _POWER
    if op == "pow":
        base, exponent = parts
        if exponent[1] in (_SIGNED, _NUMBER):
            raise NotWritable(f"'{name}' raises to a constant power, which a scenario reads as a power node")
        return f"{_wrapped(base, _ATOM)} ** {_wrapped(exponent, _UNARY)}", _POWER
    if op in _CALLS:
        return f"{op}({', '.join(text for text, _ in parts)})", _ATOM
    raise NotWritable(f"'{name}' is a {op} node inside a group, which no expression writes")

