"""YAML composition with the safety checks: nodes only, never objects.

YAML is composed (not constructed) with PyYAML's safe machinery, so no
object can be built from a file; tags, anchors and aliases are refused (they allow
alias bombs), so is deep nesting, duplicate keys (PyYAML would silently keep
the last) and characters that would hide what a file says. Every refusal is
a ``ScenarioError`` at the offending line and column.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:  # libyaml's C parser: several times faster; the composer and every check stay in Python
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)

from tutor.scenario.errors import ScenarioError, error_at
from tutor.scenario.visible import quoted, visible

MAX_YAML_DEPTH = 20
"""Deepest YAML nesting accepted; a scenario needs three levels."""


_WILDCARD = tuple(Resolver.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}
_STR = "tag:yaml.org,2002:str"


class _Loader(Composer, _Parser, Resolver):
    """Composes nodes only, refusing anchors, aliases, tags and deep nesting.

    Events come from libyaml when it is installed (PyYAML's own parser
    otherwise); composing them into nodes, with the checks below, is done
    here in Python either way, so the rules and positions are the same.
    """

    def __init__(self, stream: str, path: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        Resolver.__init__(self)
        self._path = path
        self._depth = 0

    def resolve(self, kind, value, implicit):  # noqa: ANN001 - PyYAML's signature
        """PyYAML's implicit tag resolution for scalars, without rebuilding its lists for each one."""
        if kind is ScalarNode and implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                if regexp.match(value):
                    return tag
            return _STR
        return Resolver.resolve(self, kind, value, implicit)

    def compose_node(self, parent, index):  # noqa: ANN001, ARG002 - PyYAML's signature
        """PyYAML's ``Composer.compose_node`` with the checks, in one pass over each event.

        The same nodes as PyYAML's (no path resolvers are ever set, so none is
        consulted), made with a third of its calls: a big file is mostly scalars.
        """
        event = self.peek_event()
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None:
            raise ScenarioError(
                self._path,
                event.start_mark.line + 1,
                event.start_mark.column + 1,
                "YAML anchors and aliases (& and *) are not allowed",
                "write each value out in full",
            )
        if event.tag is not None:
            raise ScenarioError(
                self._path,
                event.start_mark.line + 1,
                event.start_mark.column + 1,
                f"YAML tags ({visible(event.tag.replace('tag:yaml.org,2002:', '!!'), 60)}) are not allowed",
                "write the value plainly; a scenario holds only numbers, names and text",
            )
        if self._depth >= MAX_YAML_DEPTH:
            raise ScenarioError(
                self._path,
                event.start_mark.line + 1,
                event.start_mark.column + 1,
                f"YAML is nested too deeply (more than {MAX_YAML_DEPTH} levels)",
                "a scenario needs only a mapping of mappings",
            )
        self.get_event()
        if kind is ScalarEvent:
            value = event.value
            return ScalarNode(
                self.resolve(ScalarNode, value, event.implicit), value, event.start_mark, event.end_mark,
                style=event.style,
            )
        self._depth += 1
        if kind is MappingStartEvent:
            node = MappingNode(
                self.resolve(MappingNode, None, event.implicit), [], event.start_mark, None,
                flow_style=event.flow_style,
            )
            pairs = node.value
            while not self.check_event(MappingEndEvent):
                key = self.compose_node(node, None)
                pairs.append((key, self.compose_node(node, key)))
        else:
            node = SequenceNode(
                self.resolve(SequenceNode, None, event.implicit), [], event.start_mark, None,
                flow_style=event.flow_style,
            )
            items = node.value
            while not self.check_event(SequenceEndEvent):
                items.append(self.compose_node(node, len(items)))
        self._depth -= 1
        node.end_mark = self.get_event().end_mark
        return node


def scalar_position(source: str, node: ScalarNode, offset: int) -> tuple[int, int]:
    """The (line, col) in ``source`` of character ``offset`` of a scalar's value.

    Follows YAML line folding, where a line break and the spaces around it
    read as one space, so a plain or quoted expression written over several
    lines still points at the right token. Falls back to where the value
    starts when it cannot be lined up with the source (block scalars, escapes).
    """
    start = node.start_mark
    if node.style in ("|", ">"):
        found = _block_position(source, node, offset)
        return found if found is not None else (start.line + 1, start.column + 1)
    i = start.index + (1 if node.style in ("'", '"') else 0)
    for char in node.value[:offset]:
        if i >= len(source):
            return start.line + 1, start.column + 1
        run = i
        while run < len(source) and source[run] in " \r\n":
            run += 1
        if char == " " and "\n" in source[i:run]:
            i = run
        elif char == source[i]:
            i += 1
        else:
            return start.line + 1, start.column + 1
    return _line_col(source, i)


def _block_position(source: str, node: ScalarNode, offset: int) -> tuple[int, int] | None:
    """``scalar_position`` in a ``|`` or ``>`` block: the lines below the indicator, less their
    indentation; a line break is a newline (``|``) or a space (``>``), a blank line a newline."""
    i = source.find("\n", node.start_mark.index) + 1
    if i <= 0:
        return None
    indent = None
    j = i
    while j < len(source):
        end = source.find("\n", j)
        line = source[j : len(source) if end < 0 else end].rstrip("\r")
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            break
        j = len(source) if end < 0 else end + 1
    if not indent:
        return None

    def next_line(k: int) -> int:
        k += 2 if source.startswith("\r\n", k) else 1
        stop = k + indent
        while k < stop and k < len(source) and source[k] == " ":
            k += 1
        return k

    i = next_line(i - 1)
    for char in node.value[:offset]:
        if i >= len(source):
            return None
        if char in " \n" and source[i] in "\r\n":
            i = next_line(i)
            continue
        while i < len(source) and source[i] in "\r\n":  # a blank line folded into the break before it
            i = next_line(i)
        if i >= len(source) or source[i] != char:
            return None
        i += 1
    if i >= len(source) or source[i] in "\r\n":
        return None
    return _line_col(source, i)


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
    "\ud800-\udfff]|\r(?!\n)"
)
"""Characters refused anywhere in a file: controls (tab aside), YAML's extra
line breaks (they would shift every line number), bidi overrides, a byte
order mark past the start, non-characters."""

_UNPRINTABLE_VALUE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
"""Characters refused in a value, where double-quoted escapes (``"\\x1b"``) can put them."""


def _describe_char(char: str) -> str:
    code = ord(char)
    if char == "\ufeff":
        return "a byte order mark (U+FEFF) in the middle of the file"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"a bidirectional control character {visible(char)} (U+{code:04X})"
    if char in "\ufffe\uffff":
        return f"a non-character {visible(char)} (U+{code:04X})"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate {visible(char)} (U+{code:04X})"
    if char in "\u2028\u2029\x85\r":
        return f"an unusual line break {visible(char)} (U+{code:04X})"
    return f"a control character {visible(char)} (U+{code:04X})"


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_characters(text: str, path: str) -> None:
    """Refuse tabs and invisible characters before YAML sees the text."""
    tab = text.find("\t")
    bad = _UNPRINTABLE.search(text)
    if tab >= 0 and (bad is None or tab < bad.start()):
        line, col = _line_col(text, tab)
        indenting = not text[text.rfind("\n", 0, tab) + 1 : tab].strip()
        hint = "indent YAML with spaces, not tabs" if indenting else "use spaces instead (scenario files take no tabs)"
        raise ScenarioError(path, line, col, "tab character", hint)
    if bad is not None:
        line, col = _line_col(text, bad.start())
        raise ScenarioError(
            path, line, col, f"{_describe_char(bad.group()[0])} is not allowed",
            "delete it (retype the line if you cannot see it)",
        )


def check_scalars(root: Node, path: str) -> None:
    """Refuse values whose escapes (``"\\x1b[2J"``, ``"\\ud800"``) make invisible characters."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            bad = _UNPRINTABLE_VALUE.search(node.value)
            if bad is not None:
                raise error_at(
                    path, node, f"{_describe_char(bad.group())} is not allowed in {quoted(node.value, 30)}",
                    "remove the escape that writes it",
                )
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(value)
                stack.append(key)
        else:
            stack.extend(node.value)


def compose(text: str, data: bytes, path: str) -> Node | None:
    _check_characters(text, path)
    loader = None
    try:
        loader = _Loader(text, path)
        return loader.get_single_node()
    except ScenarioError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
        at_end = mark is not None and mark.index >= len(text.rstrip())
        if at_end and exc.context and exc.context_mark and exc.context_mark.index < mark.index:
            # An error at the very end of the file ("unexpected end of stream")
            # is about something left unfinished: point at where it starts
            # (the unclosed quote or bracket, the key missing its colon).
            mark = exc.context_mark
            if "end of stream" in problem or "<stream end>" in problem:
                problem = f"{exc.context}, the file ends before it is closed"
            else:
                problem = f"{exc.context}: {problem}"
        unclosed = _unclosed_flow(text, exc) or _missing_colon(text, exc)
        if unclosed is not None:
            raise ScenarioError(path, *unclosed) from None
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError(
            path, line, col, f"YAML syntax error: {problem}", "check indentation, colons and quotes"
        ) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, min(max(exc.position, 0), len(text)))
        raise ScenarioError(path, line, col, f"YAML error: {exc.reason}", "delete the character") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, 1, 1, f"YAML error: {exc}") from None
    except RecursionError:
        raise ScenarioError(path, 1, 1, "YAML is nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


_BARE_KEY = re.compile(r"[ ]*[^\s:,\[\]{}#'\"]+[ ]*")
"""A line's start up to a colon that reads as the next block key (``nodes`` in ``nodes:``)."""


def _unclosed_flow(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str, str] | None:
    """(line, col, message, hint) when a ``{...}`` or ``[...]`` was left open, else None.

    libyaml reads on past the missing bracket and stops at the file's end, or at
    the colon of the next line's key (``nodes:``), a line or more below the
    mistake. The learner needs the bracket, and where the closing one goes.
    """
    start, problem = exc.context_mark, exc.problem_mark
    if not (exc.context or "").startswith("while parsing a flow") or start is None or problem is None:
        return None
    opener = text[start.index : start.index + 1]
    if opener not in "{[" or not opener:
        return None
    closer = "}" if opener == "{" else "]"
    what = f"the {opener} at line {start.line + 1}, column {start.column + 1} is never closed"
    if problem.index >= len(text.rstrip()):
        return start.line + 1, start.column + 1, f"YAML syntax error: {what}", f"end it with {closer}"
    lines = text.split("\n")
    at = lines[problem.line] if problem.line < len(lines) else ""
    head = at[: problem.column]
    at_key = at[problem.column : problem.column + 1] == ":" and _BARE_KEY.fullmatch(head)
    key = _BARE_KEY.match(at)
    before_key = not head.strip() and key is not None and at[key.end() :].startswith(":")
    if problem.line <= start.line or not (at_key or before_key):
        return None  # a mistake inside the line (a missing comma): libyaml's own words say it
    row = problem.line - 1
    while row > start.line and (not lines[row].strip() or lines[row].lstrip().startswith("#")):
        row -= 1
    return (
        row + 1, len(lines[row].rstrip()) + 1,
        f"YAML syntax error: {what} before the next key, on line {problem.line + 1}",
        f"end it with {closer} here, at the end of its last line",
    )


def _missing_colon(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str, str] | None:
    """(line, col, message, hint) when a line has a key but no ``:`` (``  x2 3``), else None.

    libyaml notices only when it reaches the next line's key (or the file's
    end), so its error points a line or more below the mistake; the learner
    needs the line without the colon.
    """
    lines = text.split("\n")
    start, problem = exc.context_mark, exc.problem_mark
    if exc.context == "while scanning a simple key" and start is not None and "expected ':'" in (exc.problem or ""):
        row, col = start.line, start.column
    elif (exc.problem or "").startswith("mapping values are not allowed") and problem is not None:
        # `title x` then `inputs:`: the two lines read as one plain value, whose colon comes too late.
        at = lines[problem.line] if problem.line < len(lines) else ""
        row = problem.line - 1
        while row >= 0 and (not lines[row].strip() or lines[row].lstrip().startswith("#")):
            row -= 1
        indent = len(at) - len(at.lstrip(" "))
        if row < 0 or len(lines[row]) - len(lines[row].lstrip(" ")) != indent or ":" in lines[row]:
            return None
        col = indent
    else:
        return None
    entry = lines[row][col:].split(" #", 1)[0].strip() if row < len(lines) else ""
    key, _, value = entry.partition(" ")
    if not entry or entry.startswith(("-", "[", "{", '"', "'")):
        return None
    example = f"{key}: {value.strip()}" if value.strip() else f"{key}: ..."
    return (
        row + 1, col + 1, f"YAML syntax error: no ':' after {quoted(key, 40)}",
        f"write a colon and a space between a key and its value: {visible(example, 60)}",
    )


def check_duplicates(root: Node, path: str) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        raise error_at(
                            path,
                            key,
                            f"duplicate key {quoted(key.value)} (first defined on line {first})",
                            "each key may appear only once; remove or rename one",
                        )
                    seen[key.value] = key
                stack.append(value)
        elif isinstance(node.value, list):
            stack.extend(node.value)
