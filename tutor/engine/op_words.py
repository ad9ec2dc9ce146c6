"""Words about ops for learners: their names, and local derivatives with the numbers put in."""

from __future__ import annotations

from tutor.engine.numbers import fmt as _num

TITLES: dict[str, str] = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "div": "divide",
    "neg": "negate",
    "reciprocal": "reciprocal (1/·)",
    "exp": "exp",
    "log": "log",
    "powc": "power",
    "pow": "power",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "max": "max",
    "min": "min",
    "identity": "identity",
}
"""The op names a learner reads ("power", not the table's key "powc")."""


def title(op: str) -> str:
    """The learner-facing name of an op (the table key for anything unknown)."""
    return TITLES.get(op, op)


def local_numbers(op: str, inputs: tuple[float, ...], out: float, param: float, i: int) -> str:
    """d(out)/d(input i) written with the numbers put in, e.g. ``0.622459 × (1 − 0.622459)``.

    Empty when the formula is already a single number or a single name (add,
    multiply, identity...): then the number alone says it all.
    """
    from tutor.engine.numbers import fmt, operand
    from tutor.engine.ops import power_text

    if op == "sigmoid":
        return f"{operand(out)} × (1 − {operand(out)})"
    if op == "tanh":
        return f"1 − {operand(out)}²"
    if op == "reciprocal":
        return f"−{operand(out)}²"
    if op == "exp":
        return f"exp({fmt(inputs[0])})"
    if op == "log":
        return f"1/{operand(inputs[0])}"
    if op == "powc":
        if param == 2:
            return f"2 × {operand(inputs[0])}"
        return f"{_num(param)} × {power_text(operand(inputs[0]), param - 1)}"
    if op == "div":
        if i == 0:
            return f"1/{operand(inputs[1])}"
        return f"−{operand(inputs[0])}/{operand(inputs[1])}²"
    if op == "pow":
        if i == 0:
            return f"{operand(inputs[1])} × {operand(inputs[0])}^({fmt(inputs[1])} − 1)"
        return f"{operand(out)} × ln {operand(inputs[0])}"
    return ""
