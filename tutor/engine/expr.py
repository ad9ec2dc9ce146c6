"""Safe expression parsing: Python's ``ast`` and a whitelist walk.

A node's expression (``sigmoid(w1*x1 + w2*x2 + b1)``) is parsed with
``ast.parse`` and walked; anything not on the whitelist is rejected with its
column. Nothing is ever evaluated by Python. Each operator becomes one
primitive node; intermediates get stable derived names (``h1.mul1``) and the
outermost operator carries the author's name.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
import warnings
from dataclasses import field

from tutor.engine.graph import Graph
from tutor.engine.ops import FUNCTIONS, OPS
from tutor.engine.spelling import closest
from tutor.records import record

MAX_DEPTH = 200
"""Deepest expression nesting accepted; deeper ones should be split into nodes."""


class ExprError(Exception):
    """A problem in one expression, at a character offset inside it."""

    def __init__(self, message: str, offset: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


def normalize_name(name: str) -> str:
    """Names compare as Python compares identifiers (NFKC)."""
    return unicodedata.normalize("NFKC", name)


def _cut(name: str, limit: int = 60) -> str:
    """A name as quoted in a message: at most ``limit`` characters."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


@record(frozen=False, slots=True)
class _Leaf:
    index: int


@record(frozen=False, slots=True)
class _Const:
    value: float


@record(frozen=False, slots=True)
class _Op:
    op: str
    args: list = field(default_factory=list)
    param: float = 0.0


def _char_offset(text: str, byte_offset: int | None) -> int:
    """ast reports UTF-8 byte offsets; learners count characters."""
    if not byte_offset:
        return 0
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_SYMBOLS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
}
_ALLOWED = "numbers, names, + - * / **, parentheses and " + ", ".join(FUNCTIONS)


class _Parser:
    def __init__(self, text: str, scope: dict[str, int], later: set[str], own_name: str) -> None:
        self.text = text
        self.scope = scope
        self.later = later
        self.own_name = own_name

    def error(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        return ExprError(message, _char_offset(self.text, getattr(node, "col_offset", 0)), hint)

    def error_after(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        """An error at the token following ``node``: the ``.`` of ``x.real``,
        the ``[`` of ``x[0]``, the operator of ``a > b``."""
        offset = getattr(node, "col_offset", 0)
        if getattr(node, "end_lineno", None) == 1 and node.end_col_offset is not None:
            data = self.text.encode("utf-8")
            offset = node.end_col_offset
            while offset < len(data) and data[offset : offset + 1] in (b" ", b"\t", b")"):
                offset += 1
        return ExprError(message, _char_offset(self.text, offset), hint)

    def reject(self, node: ast.AST) -> ExprError:
        """The error for a construct outside the whitelist, at its token."""
        hint = f"expressions may use {_ALLOWED}"
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            return self.error_after(node.value, self.describe(node), hint)
        if isinstance(node, ast.Compare):
            return self.error_after(node.left, self.describe(node), hint)
        return self.error(node, self.describe(node), hint)

    def literal(self, node: ast.AST) -> str:
        """The source text of a one-line constant (empty when it cannot be found)."""
        if getattr(node, "end_lineno", None) != 1 or getattr(node, "lineno", None) != 1:
            return ""
        data = self.text.encode("utf-8")
        return data[node.col_offset : node.end_col_offset].decode("utf-8", errors="replace")

    def walk(self, node: ast.AST, depth: int = 0):
        if depth > MAX_DEPTH:
            raise self.error(
                node,
                f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
                "split it into several named nodes",
            )
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                shown = "'...'" if value is Ellipsis else repr(value)
                raise self.error(node, f"{shown} is not a number", f"expressions may use {_ALLOWED}")
            literal = self.literal(node)
            if "_" in literal or literal[:2].lower() in ("0x", "0o", "0b"):
                raise self.error(node, f"{literal} is not a plain decimal number",
                                 "write numbers as the rest of the file does, e.g. 1000, 0.5 or 1e-3")
            try:
                value = float(value)
            except OverflowError:  # an integer literal of hundreds of digits
                value = math.inf
            if not math.isfinite(value):
                raise self.error(node, "number is too large", "use a finite number")
            return _Const(value)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            operand = self.walk(node.operand, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(node.op, ast.USub):
                if isinstance(operand, _Const):
                    return _Const(-operand.value)
                return _Op("neg", [operand])
            raise self.error(node, "only unary minus and plus are allowed", f"expressions may use {_ALLOWED}")
        if isinstance(node, ast.BinOp):
            kind = _BINOPS.get(type(node.op))
            if kind is None:
                symbol = _SYMBOLS.get(type(node.op), "this operator")
                raise self.error_after(node.left, f"operator {symbol} is not allowed", "use + - * / or **")
            left = self.walk(node.left, depth + 1)
            right = self.walk(node.right, depth + 1)
            if kind == "div" and isinstance(left, _Const) and left.value == 1.0:
                return _Op("reciprocal", [right])
            if kind == "pow" and isinstance(right, _Const):
                return _Op("powc", [left], right.value)
            return _Op(kind, [left, right])
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.reject(node)

    def name(self, node: ast.Name):
        name = node.id
        if name in FUNCTIONS:
            raise self.error(node, f"{name} is a function; call it as {name}(...)")
        if name == self.own_name:
            raise self.error(node, f"node '{name}' uses itself", "a node can only use names defined above it")
        if name in self.scope:
            return _Leaf(self.scope[name])
        if name in self.later:
            raise self.error(
                node,
                f"'{name}' is defined later in the file",
                "a node can only use inputs, params and nodes defined above it; move it up",
            )
        close = closest(name, self.scope) if len(name) < 100 else None
        hint = f"did you mean '{close}'?" if close else "define it under inputs, params or nodes"
        raise self.error(node, f"unknown name '{_cut(name)}'", hint)

    def call(self, node: ast.Call, depth: int):
        if not isinstance(node.func, ast.Name):
            if type(node.func) in _DESCRIBED:
                raise self.reject(node.func)
            allowed = "only calls to " + ", ".join(FUNCTIONS) + " are allowed"
            raise self.error(node, allowed, "call a function by its name, e.g. exp(x)")
        fname = node.func.id
        if fname not in FUNCTIONS:
            raise self.error(
                node, f"unknown function '{_cut(fname)}'", "available functions: " + ", ".join(FUNCTIONS)
            )
        if node.keywords:
            raise self.error(
                node.keywords[0], f"{fname}() takes no keyword arguments", f"write {fname}(...) with plain arguments"
            )
        op = FUNCTIONS[fname]
        arity = OPS[op].arity
        if len(node.args) != arity or any(isinstance(a, ast.Starred) for a in node.args):
            plural = "argument" if arity == 1 else "arguments"
            example = f"{fname}(a)" if arity == 1 else f"{fname}(a, b)"
            raise self.error(node, f"{fname}() takes {arity} {plural}, got {len(node.args)}", f"e.g. {example}")
        return _Op(op, [self.walk(a, depth + 1) for a in node.args])

    @staticmethod
    def describe(node: ast.AST) -> str:
        what = _DESCRIBED.get(type(node), "this kind of expression")
        return f"{what} is not allowed in an expression"


_DESCRIBED = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "a subscript (a[i])",
    ast.Compare: "a comparison",
    ast.BoolOp: "and / or",
    ast.Lambda: "lambda",
    ast.IfExp: "an if-expression",
    ast.JoinedStr: "a string",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.NamedExpr: ":=",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
    ast.Starred: "a starred expression (*a)",
    ast.FormattedValue: "a string",
    ast.Slice: "a slice (a:b)",
}


_QUIET = re.compile(r"(?:[A-Za-z_][A-Za-z_0-9]*|[0-9]+(?:\.[0-9]*)?(?![A-Za-z_0-9.])|[ +\-*/(),]|(?<![0-9])\.)*")
"""Text the parser cannot warn about: names, plain numbers not run into a letter, operators.
Anything else is parsed with warnings silenced (setting that up costs more than the parse)."""


_SIMPLE = re.compile(r"([^\W\d]\w*)[ \f]*(?:([-+*/])[ \f]*([^\W\d]\w*)|\([ \f]*([^\W\d]\w*)[ \f]*\))")
"""The commonest expressions, ``a + b`` (any of + - * /) and ``f(a)``, over names only."""
_SIMPLE_OPS = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


def _simple(text: str, scope: dict[str, int], own_name: str):
    """The tree of a ``_SIMPLE`` expression over names in ``scope``, else None (the parser decides).

    Built as ``_Parser.walk`` builds it from Python's parse, without the parse:
    a graph is mostly such nodes, and parsing is most of the cost of loading one.
    Anything else (a number, a name not in scope or the node's own, a keyword,
    a function of another arity) is left to the parser and its error messages.
    """
    match = _SIMPLE.fullmatch(text.strip())
    if match is None:
        return None
    first, symbol, second, argument = match.groups()
    if symbol is not None:
        if first == own_name or second == own_name or first not in scope or second not in scope:
            return None
        if keyword.iskeyword(first) or keyword.iskeyword(second):
            return None
        return _Op(_SIMPLE_OPS[symbol], [_Leaf(scope[first]), _Leaf(scope[second])])
    op = FUNCTIONS.get(first)
    if op is None or OPS[op].arity != 1 or argument == own_name or argument not in scope or keyword.iskeyword(argument):
        return None
    return _Op(op, [_Leaf(scope[argument])])


def weighted_sum(products: list[tuple[int, int]], bias: int | None = None):
    """The tree ``parse`` gives for ``w1 * x1 + w2 * x2 + ... + b`` (node indices), at any length.

    For sums built by the tutor itself (the ``network:`` shorthand): parsing
    such text is limited to ``MAX_DEPTH`` terms, and a wide layer has more.
    """
    terms = [_Op("mul", [_Leaf(w), _Leaf(x)]) for w, x in products]
    if bias is not None:
        terms.append(_Leaf(bias))
    tree = terms[0]
    for term in terms[1:]:
        tree = _Op("add", [tree, term])
    return tree


def parse(text: str, scope: dict[str, int], later: set[str] = frozenset(), own_name: str = "", quiet: bool = True):
    """Parse ``text`` into an op tree over ``scope`` (name -> node index).

    ``quiet`` silences Python's warnings (``1if x else 2`` warns "invalid
    decimal literal") for this call; a caller that silences them once around
    many calls (the loader) passes ``quiet=False``.
    """
    simple = _simple(text, scope, own_name)
    if simple is not None:
        return simple
    stripped = text.strip()
    if not stripped:
        raise ExprError("expression is empty", 0, "write an expression such as a * b")
    lead = len(text) - len(text.lstrip())
    if "#" in stripped:
        raise ExprError(
            "# is not allowed in an expression", lead + stripped.index("#"),
            'a comment goes after the closing quote, e.g. y: "a * b"  # comment',
        )
    try:
        if not quiet or _QUIET.fullmatch(stripped):
            tree = ast.parse(stripped, mode="eval")
        else:
            with warnings.catch_warnings():
                # ``1if x else 2`` warns "invalid decimal literal" on stderr; the
                # expression gets its own error below, so the warning is noise.
                warnings.simplefilter("ignore")
                tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        offset = max(0, (exc.offset or 1) - 1) if (exc.lineno or 1) == 1 else 0
        offset = min(offset, len(stripped))
        message = (exc.msg or "invalid syntax").splitlines()[0] if exc.msg else "invalid syntax"
        if "Exceeds the limit" in message:  # an integer literal of thousands of digits
            raise ExprError("number is too large", lead + offset, "use a number below 1e308") from None
        if "leading zeros" in message:  # Python suggests octal, which the tutor does not read
            raise ExprError("a whole number may not start with 0", lead + offset,
                            "write it without the leading zeros, e.g. 10 for 010") from None
        if "nested" in message:
            raise ExprError(
                "expression is nested too deeply", lead, "split it into several named nodes"
            ) from None
        raise ExprError(f"invalid expression: {message}", lead + offset, f"expressions may use {_ALLOWED}") from None
    except (RecursionError, MemoryError):
        raise ExprError("expression is nested too deeply", lead, "split it into several named nodes") from None
    except (ValueError, OverflowError) as exc:
        if "Exceeds the limit" in str(exc):  # an integer literal of thousands of digits
            raise ExprError("number is too large", lead, "use a number below 1e308") from None
        raise ExprError("invalid expression", lead, f"expressions may use {_ALLOWED}") from None
    parser = _Parser(stripped, scope, later, own_name)
    try:
        result = parser.walk(tree.body)
    except ExprError as exc:
        exc.offset += lead
        raise
    except RecursionError:
        raise ExprError("expression is nested too deeply", lead, "split it into several named nodes") from None
    return result


_PREFIX = {"powc": "pow"}
"""Derived names read as the learner names the op: ``loss.pow1`` for ``(y - t) ** 2``, not the table's ``powc``."""


def build(graph: Graph, name: str, tree, kind_counts: dict[str, int] | None = None) -> tuple[int, ...]:
    """Emit the primitive nodes for one named node; returns them, root last.

    The outermost op is named ``name``; the others ``name.<op><k>``, and
    constants ``name.c<k>``, numbered per op in the order they are made.
    """
    counts: dict[str, int] = {} if kind_counts is None else kind_counts
    members: list[int] = []

    def derived(prefix: str) -> str:
        counts[prefix] = counts.get(prefix, 0) + 1
        return f"{name}.{prefix}{counts[prefix]}"

    if not isinstance(tree, _Op):
        # A bare name or number: an identity node gives it the author's name.
        tree = _Op("identity", [tree])
    if all(type(arg) is _Leaf for arg in tree.args):
        # The common case, one op over names: no walk needed.
        return (graph.add_op(name, tree.op, tuple(arg.index for arg in tree.args), group=name, param=tree.param),)

    # Post-order without recursion: (node, is_root, children_done)
    stack: list[tuple[object, bool, bool]] = [(tree, True, False)]
    results: list[int] = []
    while stack:
        item, is_root, done = stack.pop()
        if isinstance(item, _Leaf):
            results.append(item.index)
        elif isinstance(item, _Const):
            results.append(graph.add_leaf(derived("c"), "const", item.value, group=name))
        elif not done:
            stack.append((item, is_root, True))
            for arg in reversed(item.args):
                stack.append((arg, False, False))
        else:
            count = len(item.args)
            args = tuple(results[len(results) - count :])
            del results[len(results) - count :]
            node_name = name if is_root else derived(_PREFIX.get(item.op, item.op))
            index = graph.add_op(node_name, item.op, args, group=name, param=item.param)
            members.append(index)
            results.append(index)
    return tuple(members)


def count_ops(tree) -> int:
    """How many primitive nodes a parsed tree will emit (for size limits)."""
    if type(tree) is _Op and all(type(arg) is _Leaf for arg in tree.args):
        return 1
    total = 0
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, _Op):
            total += 1
            stack.extend(item.args)
        elif isinstance(item, _Const):
            total += 1
    return max(total, 1)
