"""``Value``: micrograd's scalar autograd value, as the tutor can step through it.

Code written for karpathy/micrograd runs unchanged with ``from tutor import
Value``: the same constructor ``Value(data, _children=(), _op='', label='')``,
the same attributes (``data``, ``grad``, ``_prev``, ``_op``, ``label``,
``_backward``), the same operators built the same way (``a - b`` is
``a + (-b)``, ``-a`` is ``a * -1``, ``a / b`` is ``a * b**-1``), so every
number is micrograd's. Where micrograd has a trap for a stepper, this differs:

- ``_prev`` is a tuple: the inputs in order, a repeated input twice (``a * a``
  has two edges, so the sum over paths shows), never ordered by hashing;
- ``backward()`` recomputes every intermediate gradient on each call (micrograd
  adds into the stale ones), while leaf gradients accumulate, as in micrograd
  and torch, so ``zero_grad()`` code keeps working;
- an operand that is not a number or a Value raises a ``TypeError`` naming it;
- numeric trouble (1/0, log of 0, exp overflow) gives inf or nan as the
  tutor's op table does, never an exception.

Every forward value and local derivative is the op table's (``tutor.engine.ops``),
and ``backward()`` adds the contributions in the order the tutor's trace does
(newest node first), so a graph read into the tutor shows these very numbers,
to the last bit. The commonest ops (``+``, ``*``, ReLU) are written out inline
for speed; a test checks them against the table.
"""

from __future__ import annotations

import numbers
from itertools import count
from operator import attrgetter

from tutor.engine.ops import OPS, evaluate, local_derivative

_next_order = count().__next__
"""Creation order: every Value takes the next number, so a graph's nodes sort in the order they were made."""
_ORDER = attrgetter("_order")
_rewired = False
"""True once any node's ``_prev`` was set after it was made: ``backward()`` then checks every edge (an
input made later than its node, or a cycle), which the operators alone can never make."""
_customised = False
"""True once any node was given a ``_backward`` function of its own (lecture code does): then
``backward()`` calls each node's own step instead of the rules written out inline."""

_NEW = object.__new__


class Value:
    """A scalar, the operation that made it and its inputs; ``backward()`` fills in every ``grad``."""

    __slots__ = ("data", "grad", "_inputs", "_op", "label", "_order", "_exponent", "_custom", "__dict__")

    __array_ufunc__ = None
    """numpy scalars on the left (``np.float64(2) * v``) defer to the reflected operators below."""

    def __init__(self, data: float, _children: tuple = (), _op: str = "", label: str = "") -> None:
        self.data = data if type(data) is float else _number(data)
        self.grad = 0.0
        children = tuple(_children)
        for child in children:
            if not isinstance(child, Value):
                raise TypeError(f"the inputs of a Value must be Values, not {_shown(child)}")
        self._inputs = children
        self._op = _op
        self.label = label
        self._order = _next_order()

    # -- the operators (each makes one node; the rest are built from them, as micrograd does) --------

    def __add__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _constant(other, "+")
        out = _NEW(Value)
        out.data = self.data + other.data
        out.grad = 0.0
        out._inputs = (self, other)
        out._op = "+"
        out.label = ""
        out._order = _next_order()
        return out

    def __mul__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _constant(other, "*")
        out = _NEW(Value)
        out.data = self.data * other.data
        out.grad = 0.0
        out._inputs = (self, other)
        out._op = "*"
        out.label = ""
        out._order = _next_order()
        return out

    def __pow__(self, other: float) -> Value:
        if type(other) is not int and type(other) is not float:
            other = _exponent_number(other)
        out = _unary(self, "powc", f"**{other}", float(other))
        out._exponent = float(other)
        return out

    def relu(self) -> Value:
        x = self.data
        out = _NEW(Value)
        # max(0, x), as the op table's relu: nan stays nan, -0.0 becomes 0.0
        out.data = x if x > 0 else (x if x != x else 0.0)
        out.grad = 0.0
        out._inputs = (self,)
        out._op = "ReLU"
        out.label = ""
        out._order = _next_order()
        return out

    def tanh(self) -> Value:
        return _unary(self, "tanh", "tanh")

    def exp(self) -> Value:
        return _unary(self, "exp", "exp")

    def log(self) -> Value:
        return _unary(self, "log", "log")

    def sigmoid(self) -> Value:
        return _unary(self, "sigmoid", "sigmoid")

    def __neg__(self) -> Value:  # -self
        return self * -1

    def __radd__(self, other: float) -> Value:  # other + self
        return self + other

    def __sub__(self, other: Value | float) -> Value:  # self - other
        if not isinstance(other, Value):
            other = _number(other, "-")
        return self + (-other)

    def __rsub__(self, other: float) -> Value:  # other - self
        return _number(other, "-") + (-self)

    def __rmul__(self, other: float) -> Value:  # other * self
        return self * other

    def __truediv__(self, other: Value | float) -> Value:  # self / other
        if isinstance(other, Value):
            return self * other**-1
        # micrograd computes other**-1 in Python; the table's power gives inf for 1/0 where Python raises
        return self * evaluate(_POWC, (_number(other, "/"),), -1.0)

    def __rtruediv__(self, other: float) -> Value:  # other / self
        return _number(other, "/") * self**-1

    def __rpow__(self, other: object) -> Value:
        raise TypeError(
            f"cannot raise {_shown(other)} to the power of a Value: like micrograd, Value supports "
            "v ** number only (write (v * math.log(base)).exp() for base ** v)"
        )

    # -- the backward pass -------------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in ``grad`` for every node this one depends on: d(self)/d(node).

        Intermediate gradients are recomputed from zero on every call; leaf
        gradients accumulate (call ``zero_grad()`` or set them to 0 between steps,
        as with micrograd and torch). The output's own gradient is set to 1.
        """
        nodes = _reachable(self)
        for node in nodes:
            if node._inputs:
                node.grad = 0.0
        self.grad = 1.0
        if _customised:
            for node in nodes:
                node._backward()
            return
        for node in nodes:
            op = node._op
            if op == "*":
                a, b = node._inputs
                g = node.grad
                # d(a·b)/da = b, d(a·b)/db = a
                a.grad += b.data * g
                b.grad += a.data * g
            elif op == "+":
                a, b = node._inputs
                g = node.grad
                # d(a + b)/da = d(a + b)/db = 1
                a.grad += g
                b.grad += g
            elif op == "ReLU":
                (a,) = node._inputs
                x = a.data
                # d relu(x)/dx = 1 if x > 0 else 0 (nan for nan), as the op table's relu
                a.grad += node.grad if x > 0 else node.grad * (0.0 if x == x else x)
            elif node._inputs:
                node._local_backward()

    @property
    def _prev(self) -> tuple:
        """The inputs, in order (a repeated input twice): micrograd's attribute, a tuple here."""
        return self._inputs

    @_prev.setter
    def _prev(self, inputs) -> None:
        global _rewired
        self._inputs = inputs
        _rewired = True  # from now on backward() checks that every input was made before its node

    @property
    def _backward(self):
        """This node's own step of the backward pass: add its local derivatives times ``grad``
        into its inputs' gradients. Lecture code that assigns its own closure here still works."""
        custom = getattr(self, "_custom", None)
        return custom if custom is not None else self._local_backward

    @_backward.setter
    def _backward(self, function) -> None:
        global _customised
        self._custom = function
        _customised = True  # from now on backward() asks every node for its own step

    def _local_backward(self) -> None:
        prev = self._inputs
        if not prev:
            return  # a leaf
        op = self._op
        g = self.grad
        if op == "+" and len(prev) == 2:
            a, b = prev
            a.grad += g
            b.grad += g
        elif op == "*" and len(prev) == 2:
            a, b = prev
            a.grad += b.data * g
            b.grad += a.data * g
        elif len(prev) == 1 and (op in _RULES or op.startswith("**")):
            (a,) = prev
            rule = _RULES.get(op, _POWC)
            param = 0.0
            if rule is _POWC:
                param = getattr(self, "_exponent", None)
                if param is None:
                    param = _exponent_of(op)
            a.grad += g * local_derivative(rule, (a.data,), self.data, param, 0)
        else:
            raise ValueError(
                f"backward: no gradient rule for a node with op {op!r} and {len(prev)} inputs; give it a "
                "_backward function, or build it with + - * / ** and relu, tanh, exp, log, sigmoid"
            )

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


_POWC = OPS["powc"]
_RULES = {"ReLU": OPS["relu"], "relu": OPS["relu"], "tanh": OPS["tanh"], "exp": OPS["exp"], "log": OPS["log"],
          "sigmoid": OPS["sigmoid"]}
"""The op table's record for each unary ``_op`` a Value can carry (a power ``**k`` is ``powc``)."""


class Constant(Value):
    """A number an operator wrapped (the ``2`` of ``2 * v``): micrograd makes a Value of it too.

    A subclass only so that a reader of the graph can tell it from a leaf the author made.
    """

    __slots__ = ()


def _unary(x: Value, table_op: str, op: str, param: float = 0.0) -> Value:
    out = _NEW(Value)
    out.data = evaluate(OPS[table_op], (x.data,), param)
    out.grad = 0.0
    out._inputs = (x,)
    out._op = op
    out.label = ""
    out._order = _next_order()
    return out


def _constant(other: object, symbol: str) -> Constant:
    out = _NEW(Constant)
    out.data = other if type(other) is float else _number(other, symbol)
    out.grad = 0.0
    out._inputs = ()
    out._op = ""
    out.label = ""
    out._order = _next_order()
    return out


def _number(x: object, symbol: str = "") -> float:
    """``x`` as a float: an int, a float or another real number (numpy's included), never a bool."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if symbol:
        raise TypeError(f"unsupported operand for {symbol}: {_shown(x)} (a Value works with numbers and other Values)")
    raise TypeError(f"Value needs a number (an int or a float), not {_shown(x)}")


def _exponent_number(x: object) -> float:
    if isinstance(x, bool):
        raise TypeError(f"the exponent must be a number (an int or a float), not {_shown(x)}")
    if isinstance(x, Value):
        raise TypeError(
            "the exponent must be a number, not a Value (v ** 2 works; v ** w with a Value w does not, "
            "as in micrograd)"
        )
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(f"the exponent must be a number (an int or a float), not {_shown(x)}")


def _exponent_of(op: str) -> float:
    """The exponent written in a power's op, ``**2`` -> 2.0."""
    try:
        return float(op[2:])
    except ValueError:
        raise ValueError(f"backward: cannot read the exponent of op {op!r}") from None


def _shown(x: object) -> str:
    """What was given, for a message: its type and a short repr."""
    text = repr(x)
    if len(text) > 40:
        text = text[:39] + "…"
    return f"{type(x).__name__} {text}"


def _reachable(root: Value) -> list[Value]:
    """Every node ``root`` depends on, ``root`` first, each after every node that uses it.

    That is the reverse of creation order, the order in which the tutor's trace
    visits a graph read from these nodes. Only when ``_prev`` was changed to point
    at a node made later does the order come from a depth-first walk instead
    (which refuses a cycle).
    """
    nodes = [root]
    seen = {root}
    add = seen.add
    push = nodes.append
    if not _rewired:  # made by the operators and constructor only: every input is older than its node
        for node in nodes:  # the list grows while it is walked
            for child in node._inputs:
                if child not in seen:
                    add(child)
                    push(child)
        nodes.sort(key=_ORDER, reverse=True)
        return nodes
    in_order = True
    try:
        for node in nodes:
            order = node._order
            for child in node._prev:
                if child._order >= order:
                    in_order = False
                if child not in seen:
                    add(child)
                    push(child)
    except (AttributeError, TypeError):  # _prev changed to hold something else than Values
        in_order = False
    if in_order:
        nodes.sort(key=_ORDER, reverse=True)
        return nodes
    return topological(root)[::-1]


class CycleError(ValueError):
    """A node is among its own inputs (``_prev`` was changed to make a loop)."""


def topological(root) -> list:
    """Every node ``root`` depends on, inputs before the nodes that use them, by a depth-first walk
    over ``_prev`` in its own order (as micrograd's ``build_topo``, without recursion).

    Works on any objects with ``_prev``; raises ``CycleError`` when the graph loops.
    """
    order: list = []
    state: dict[int, int] = {id(root): 1}  # 1: on the walk's path, 2: done
    stack = [(root, iter(_inputs(root)))]
    while stack:
        node, children = stack[-1]
        for child in children:
            seen = state.get(id(child))
            if seen == 1:
                raise CycleError(f"the graph has a cycle: a node ({_described(child)}) is among its own inputs")
            if seen is None:
                state[id(child)] = 1
                stack.append((child, iter(_inputs(child))))
                break
        else:
            stack.pop()
            state[id(node)] = 2
            order.append(node)
    return order


def _inputs(node) -> tuple:
    prev = getattr(node, "_prev", ())
    return tuple(prev) if prev is not None else ()


def _described(node) -> str:
    label = getattr(node, "label", "")
    if isinstance(label, str) and label:
        return f"label {label!r}"
    op = getattr(node, "_op", "")
    return f"op {op!r}, data {getattr(node, 'data', '?')!r}"
