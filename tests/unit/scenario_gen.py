"""Hypothesis strategies for scenario text: generated, mutated, hostile.

Used by test_fuzz_loader.py. Each strategy gives a ``str`` (which may hold
lone surrogates and control characters) or ``bytes`` (which may be invalid
UTF-8): what a learner's editor, a broken download or a curious student
could put in a file.
"""

from __future__ import annotations

import keyword
import re

from hypothesis import strategies as st

from tutor.engine.ops import FUNCTIONS
from tutor.scenario import builtin_dir, builtin_names

BUILTIN_TEXTS = [(builtin_dir() / f"{name}.yaml").read_text(encoding="utf-8") for name in builtin_names()]

SENTINEL = "tutor_fuzz_code_ran"
"""A file name that only running code from a scenario could create."""

# -- names and numbers -----------------------------------------------------------

ASCII_NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and n not in FUNCTIONS
)
ODD_NAMES = st.sampled_from(
    ["りんご", "合計", "x₁", "ﬁ", "fi", "Ω", "ǅ", "_", "__class__", "None", "True", "exp", "nan", "inf", "a-b", "2x",
     "a b", "a\nb", "\x1b[2J", "\u202eab", "\ud800", "", "x" * 300, "é", "é"]
)
NAMES = st.one_of(ASCII_NAMES, ASCII_NAMES, ODD_NAMES)

NUMBER_TEXT = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        ["0", "-0.0", ".5", "1e308", "1e309", "-1e400", "1e-400", "9" * 400, "1" + "0" * 5000, "0x" + "f" * 300,
         "1_000", "0o17", "0b101", "1:30", ".inf", "-.inf", ".nan", "NaN", "1j", "1e", "--1", "true", "~", "null",
         "0" * 50 + "1", "1.5e+3", "+7"]
    ),
)


# -- expressions -------------------------------------------------------------------

BINARY = ["+", "-", "*", "/", "**", "//", "%", "@", "&", "|", "^", "<<", ">>", "<", "==", " and ", " or ", " if 1 else "]


SLOTS = st.integers(0, 9).map(lambda k: f"${k}")
"""A placeholder for the k-th name in scope, filled in by ``fill`` (strategies are built once: building
them per example is slow)."""


def _extend_any(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"{t[0]}{t[1].strip()}{t[2]}"),
        st.tuples(st.sampled_from(["-", "+", "~", "not ", "*", "await ", "yield "]), inner).map("".join),
        inner.map(lambda e: f"({e})"),
        st.tuples(st.sampled_from([*FUNCTIONS, "print", "eval", "__import__", "getattr"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["max", "min", "exp", "pow"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"max({t[0]}, key={t[1]})"),
        inner.map(lambda e: f"lambda q: {e}"),
        inner.map(lambda e: f"{e}[0]"),
        inner.map(lambda e: f"({e}).conjugate()"),
        inner.map(lambda e: f"[q for q in {e}]"),
        inner.map(lambda e: f"(q := {e})"),
        inner.map(lambda e: f"f'{{{e}}}'"),
        inner.map(lambda e: f"{e},"),
    )


ANY_EXPRESSION = st.recursive(
    st.one_of(
        SLOTS,
        NUMBER_TEXT,
        NAMES,
        st.sampled_from(["'two'", "b'x'", "None", "True", "...", "__import__", "x.real", "[]", "()", "{}", "f'{1}'"]),
    ),
    _extend_any,
    max_leaves=12,
)
"""Expressions in and out of the whitelist."""

ARITHMETIC = st.recursive(
    st.one_of(SLOTS, SLOTS, st.integers(-3, 9).map(str), st.sampled_from(["0.5", "1e-3", "2.5", "0"])),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(" ".join),
        st.tuples(st.sampled_from(sorted(FUNCTIONS)), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})" if t[0] in ("max", "min") else f"{t[0]}({t[1]})"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-{e}"),
    ),
    max_leaves=8,
)
"""Whitelisted arithmetic: mostly valid once the slots are filled."""


def fill(expression: str, names: list[str]) -> str:
    """Replace each ``$k`` with the k-th name in scope (modulo), or 1 when nothing is in scope."""
    return re.sub(r"\$(\d)", lambda m: names[int(m.group(1)) % len(names)] if names else "1", expression)


HOSTILE_EXPRESSIONS = st.sampled_from(
    [
        f"__import__('os').system('touch {SENTINEL}')",
        f"open('{SENTINEL}', 'w')",
        "().__class__.__bases__[0].__subclasses__()",
        "exec('1')",
        "(" * 300 + "1" + ")" * 300,
        "-" * 3000 + "1",
        "1" + " + 1" * 5000,
        "a" * 5000,
        "1if 1 else 2",
        "0 if x else 1",
        "x\\\n+ 1",
        "1 +\n 2",
        "'''",
        "\"\\N{foo}\"",
        "\\",
        "#",
        "",
        " ",
        "9" * 5000,
    ]
)


# -- whole scenarios ---------------------------------------------------------------


def _quote(text: str, style: str) -> str:
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return text


@st.composite
def scenarios(draw) -> str:
    """A scenario built section by section, often valid, often with one thing wrong."""
    leaf_names = draw(st.lists(ASCII_NAMES, min_size=0, max_size=4, unique=True))
    param_names = [n for n in draw(st.lists(ASCII_NAMES, max_size=3, unique=True)) if n not in leaf_names]
    if draw(st.integers(0, 9)) == 0:
        leaf_names.append(draw(NAMES))
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("title: " + _quote(draw(st.text(max_size=20)), draw(st.sampled_from(["double", "single", "plain"]))))
    flow = draw(st.booleans())
    for section, names in (("inputs", leaf_names), ("params", param_names)):
        if not names and draw(st.booleans()):
            continue
        values = [draw(NUMBER_TEXT) if draw(st.integers(0, 5)) == 0 else str(draw(st.integers(-5, 5))) for _ in names]
        if flow:
            lines.append(f"{section}: {{" + ", ".join(f"{n}: {v}" for n, v in zip(names, values)) + "}")
        else:
            lines.append(f"{section}:")
            lines += [f"  {_quote(n, draw(st.sampled_from(['plain', 'double'])))}: {v}" for n, v in zip(names, values)]
    lines.append("nodes:")
    known = leaf_names + param_names
    node_names = draw(st.lists(ASCII_NAMES.filter(lambda n: n not in known), min_size=1, max_size=5, unique=True))
    for k, name in enumerate(node_names):
        scope = known + node_names[:k]
        if draw(st.integers(0, 3)) == 0:
            text = fill(draw(st.one_of(ANY_EXPRESSION, HOSTILE_EXPRESSIONS)), scope)
        else:  # mostly whitelisted arithmetic over earlier names
            text = fill(draw(ARITHMETIC), scope)
        lines.append(f"  {name}: {_quote(text, draw(st.sampled_from(['plain', 'plain', 'double', 'single'])))}")
    everything = known + node_names
    lines.append("output: " + draw(st.one_of(st.sampled_from(everything), NAMES)))
    if draw(st.booleans()):
        lines.append("learning_rate: " + draw(st.one_of(st.sampled_from(["0.1", "1", "0", "-1"]), NUMBER_TEXT)))
    if draw(st.booleans()):
        lines.append("notes:")
        lines += [f"  {n}: {_quote(draw(st.text(max_size=15)), 'double')}" for n in draw(
            st.lists(st.sampled_from(everything), max_size=2, unique=True))]
    if draw(st.integers(0, 4)) == 0:
        lines.append("view: " + draw(st.sampled_from(["groups", "expanded", "sideways", "[1]"])))
    order = draw(st.permutations(lines)) if draw(st.integers(0, 9)) == 0 else lines
    return "\n".join(order) + draw(st.sampled_from(["\n", "", "\n\n", "\r\n", "\n# end\n"]))


YAML_SNIPPETS = st.sampled_from(
    [
        "&a ", "*a", "<<: *a\n", "!!str ", "!!python/object/apply:os.system ['touch " + SENTINEL + "']",
        "!!python/name:os.system", "!custom ", "? a\n: b\n", "--- \n", "...\n", "%YAML 1.1\n---\n", "%TAG ! tag:x,2000:\n",
        "|\n  x\n", ">-\n  y\n", "{", "}", "[", "]", ": ", "- ", "# c", "\t", "'", '"', "\\", "@", "`", "%",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{a: " * 40, "- " * 40, "\r", "\x85", "\u2028", "\ufeff", "\x00", "\x1b[2J",
        "\ud800", "\udfff", "\U0010ffff", "\ufffe", "\u202e", "a: 1\na: 2\n", "y: n", "on: off", "<<: {a: 1}\n",
        "!!binary aGk=", "!!timestamp 2001-12-14", "!!set {a, b}", "!!omap [a: 1]", "\n" * 30, " " * 200,
    ]
)


@st.composite
def mutated_builtins(draw) -> str:
    """A built-in scenario after a few edits: deletions, insertions, truncation, swapped lines."""
    text = draw(st.sampled_from(BUILTIN_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        size = len(text)
        i = draw(st.integers(0, size))
        j = draw(st.integers(i, min(size, i + 40)))
        action = draw(st.integers(0, 7))
        if action == 0:
            text = text[:i] + text[j:]
        elif action == 1:
            text = text[:i] + draw(YAML_SNIPPETS) + text[i:]
        elif action == 2:
            text = text[:i] + draw(st.text(max_size=8)) + text[i:]
        elif action == 3:
            text = text[:i] + draw(st.text(st.characters(codec=None, exclude_categories=()), max_size=4)) + text[j:]
        elif action == 4:
            text = text[:i]
        elif action == 5:
            text = text[:i] + text[i:j] * draw(st.integers(2, 5)) + text[j:]
        elif action == 6:
            lines = text.split("\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        else:
            lines = text.split("\n")
            a = draw(st.integers(0, len(lines) - 1))
            lines[a] = " " * draw(st.integers(0, 5)) + lines[a].lstrip()
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw) -> bytes:
    """A built-in's bytes with bytes flipped, invalid UTF-8 inserted or a character cut in half."""
    data = bytearray(draw(st.sampled_from(BUILTIN_TEXTS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        action = draw(st.integers(0, 3))
        if action == 0 and i < len(data):
            data[i] = draw(st.integers(0, 255))
        elif action == 1:
            data[i:i] = draw(st.binary(min_size=1, max_size=6))
        elif action == 2:
            data[i:i] = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xed\xa0\x80", b"\xc3", b"\x00",
                                              b"\xe3\x81", b"\xf4\x90\x80\x80", b"\r", b"\x85", b"\xc2\x85"]))
        else:
            del data[i:]
    return bytes(data)


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
"""Any code points at all, surrogates and controls included."""

DEEP = st.one_of(
    st.integers(1, 3000).map(lambda n: "nodes: " + "[" * n + "\noutput: y\n"),
    st.integers(1, 3000).map(lambda n: "nodes:\n  y: " + "(" * n + "1" + ")" * n + "\noutput: y\n"),
    st.integers(1, 3000).map(lambda n: "nodes:\n  y: " + "-" * n + "1\noutput: y\n"),
    st.integers(1, 200).map(lambda n: "".join("  " * k + "- \n" for k in range(n)) + "x: 1\n"),
    st.integers(1, 200).map(lambda n: "".join("  " * k + f"k{k}:\n" for k in range(n)) + "  " * n + "v\n"),
    st.integers(1, 1000).map(lambda n: "nodes:\n  y: " + "exp(" * n + "1" + ")" * n + "\noutput: y\n"),
    st.integers(1, 400).map(lambda n: "nodes:\n  y: 2" + " ** 2" * n + "\noutput: y\n"),
)


WIDE_NUMBERS = st.sampled_from(["0", "1", "-1", "0.5", "709.5", "1e300", "-1e300", "1e-300", "3"])


@st.composite
def networks(draw) -> str:
    """A ``network:`` net with a data set: layers up to 260 wide (fan-in past the parser's nesting
    limit), any activation, numbers that overflow in training, sometimes one thing wrong."""
    inputs = [f"x{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    sizes = draw(st.lists(st.sampled_from([1, 2, 3, 199, 200, 201, 260]), min_size=1, max_size=2))
    activations = draw(st.lists(st.sampled_from(["sigmoid", "tanh", "relu", "identity", "softmax"]),
                                min_size=len(sizes) + 1, max_size=len(sizes) + 1))
    last = len(sizes) + 1
    lines = ["inputs: {" + ", ".join(f"{x}: {draw(WIDE_NUMBERS)}" for x in inputs) + ", t: 1}"]
    lines += ["network:", f"  seed: {draw(st.integers(0, 5))}", f"  inputs: [{', '.join(inputs)}]", "  layers:"]
    for size, activation in zip([*sizes, 1], activations):
        lines.append(f"    - {{size: {size}, activation: {activation}}}")
    lines += ["nodes:", f"  loss: {draw(st.sampled_from(['0.5 * (a{0}_1 - t) ** 2', 'exp(a{0}_1) * t', 'a{0}_1']))}".format(last),
              "output: loss"]
    if draw(st.booleans()):
        lines.append("learning_rate: " + draw(st.sampled_from(["0.1", "10", "1e300"])))
    if draw(st.booleans()):
        rows = draw(st.lists(st.lists(WIDE_NUMBERS, min_size=len(inputs) + 1, max_size=len(inputs) + 1),
                             min_size=1, max_size=4))
        lines += ["data:", f"  columns: [{', '.join(inputs)}, t]", "  rows:"]
        lines += ["    - [" + ", ".join(row) + "]" for row in rows]
    return "\n".join(lines) + "\n"
