"""Notes: a sentence per name, for the forward pass, the backward pass or both.

A note in a scenario file is either a string (shown in both passes) or a
mapping with ``forward:`` and/or ``backward:`` keys. Its text may quote live
numbers: ``{name}`` is the named value now, ``{grad(name)}`` the gradient of
the output with respect to it as of the end of the step shown. Numbers are
formatted by ``tutor.engine.numbers.fmt``, as everywhere else; ``{{`` and
``}}`` stand for literal braces.

Gradients exist only in the backward pass, so a ``{grad(...)}`` in a note the
forward pass shows (a plain string or a ``forward:`` note) is an error: it
would either show nothing or give the backward pass's answer away.

A note may also be given per language, each language's text one of the two
forms above (``tutor.scenario.texts``)::

    price: {en: {forward: ..., backward: ...}, ja: {forward: ..., backward: ...}}

Every language's text is checked the same way.
"""

from __future__ import annotations

import re
from typing import Callable

from yaml.nodes import MappingNode, Node, ScalarNode

from tutor.engine.expr import normalize_name
from tutor.engine.numbers import fmt
from tutor.i18n import LANGUAGES, pick
from tutor.records import record
from tutor.scenario.errors import Problems, ScenarioError, error_at
from tutor.scenario.texts import EVERY, is_by_language, language_hint
from tutor.scenario.values import read_mapping, read_text
from tutor.scenario.visible import quoted

PHASES = ("forward", "backward")

_INSIDE = re.compile(r"^\s*(?:(grad)\s*\(\s*([^(){}\s]+)\s*\)|([^(){}\s]+))\s*$")


@record(slots=True)
class Placeholder:
    """One ``{name}`` or ``{grad(name)}`` in a note's text."""

    name: str
    grad: bool
    offset: int
    """Where the ``{`` is in the text, 0-based."""


class Note(str):
    """A note's text for each pass; an empty string shows nothing in that pass.

    A ``str`` itself, so code that reads notes as text keeps working: a plain
    note is its sentence, a phased note its forward and backward sentences on
    two lines (as the note reads in English, or in its one language for all).
    ``forward`` and ``backward`` are the current language's; ``languages``
    holds every language's (forward, backward), by code (``""``: every language).
    """

    languages: dict[str, tuple[str, str]]

    def __new__(cls, forward: str = "", backward: str = "",
                languages: dict[str, tuple[str, str]] | None = None) -> Note:
        texts = dict(languages) if languages else {EVERY: (forward, backward)}
        first, second = texts.get(EVERY) or texts.get("en") or next(iter(texts.values()))
        joined = first if first == second else "\n".join(t for t in (first, second) if t)
        note = super().__new__(cls, joined)
        note.languages = texts
        return note

    @property
    def forward(self) -> str:
        """The forward pass's text in the current language."""
        return pick(self.languages)[0]

    @property
    def backward(self) -> str:
        """The backward pass's text in the current language."""
        return pick(self.languages)[1]

    def __repr__(self) -> str:
        if set(self.languages) != {EVERY}:
            return f"Note(languages={self.languages!r})"
        return f"Note(forward={self.forward!r}, backward={self.backward!r})"

    def text(self, phase: str) -> str:
        return self.backward if phase == "backward" else self.forward


class NoteError(ValueError):
    """A malformed placeholder, at ``offset`` in the text."""

    def __init__(self, offset: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.hint = hint


def _parts(text: str) -> list[str | Placeholder]:
    """The text split into literal pieces and placeholders."""
    out: list[str | Placeholder] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("{{", i) or text.startswith("}}", i):
            literal.append(char)
            i += 2
            continue
        if char == "}":
            raise NoteError(i, "'}' without a matching '{'", "write }} for a literal brace")
        if char != "{":
            literal.append(char)
            i += 1
            continue
        end = text.find("}", i + 1)
        opening = text.find("{", i + 1)
        if end < 0 or 0 <= opening < end:
            raise NoteError(i, "'{' is not closed", "write {name} or {grad(name)}, or {{ for a literal brace")
        inside = text[i + 1 : end]
        match = _INSIDE.match(inside)
        if not match:
            raise NoteError(
                i, f"{quoted('{' + inside + '}')} is not a placeholder",
                "write {name} for a value or {grad(name)} for a gradient",
            )
        if literal:
            out.append("".join(literal))
            literal = []
        if match.group(1):
            out.append(Placeholder(normalize_name(match.group(2)), True, i))
        else:
            out.append(Placeholder(normalize_name(match.group(3)), False, i))
        i = end + 1
    if literal:
        out.append("".join(literal))
    return out


def placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in ``text``; raises NoteError for a malformed one."""
    return [part for part in _parts(text) if isinstance(part, Placeholder)]


Piece = tuple[str, str]
"""A piece of a filled note: the teacher's words with kind "", or a number filled in, with kind "value" or
"grad" (which placeholder it fills: ``{name}`` or ``{grad(name)}``)."""


def fill(text: str, value: Callable[[str], float | None], grad: Callable[[str], float | None]) -> list[Piece]:
    """The note as pieces, its placeholders filled in; ``?`` for a number not known yet."""
    pieces: list[Piece] = []
    for part in _parts(text):
        if isinstance(part, str):
            pieces.append((part, ""))
        else:
            number = grad(part.name) if part.grad else value(part.name)
            pieces.append(("?" if number is None else fmt(number), "grad" if part.grad else "value"))
    return pieces


def render(text: str, value: Callable[[str], float | None], grad: Callable[[str], float | None]) -> str:
    """The note with its placeholders filled in; ``?`` for a number not known yet."""
    return "".join(piece for piece, _ in fill(text, value, grad))


# --- reading notes from a scenario file ---------------------------------------


def read_notes(
    section: Node,
    path: str,
    names: dict[str, tuple[int, int]],
    position: Callable[[ScalarNode, int], tuple[int, int]],
    problems: Problems | None = None,
) -> dict[str, Note]:
    """The ``notes:`` section, checked: known keys, well-formed placeholders naming
    defined values, and no gradient in a note the forward pass shows.

    ``position(node, offset)`` gives the (line, col) of a character of a scalar.
    Each note is read on its own: with ``problems``, a wrong one is noted there
    and the others are still checked; without, the first error is raised.
    """
    notes: dict[str, Note] = {}
    for key, value in read_mapping(section, path, "notes"):
        try:
            notes[normalize_name(str(key.value))] = _note(key, value, path, names, position)
        except ScenarioError as error:
            if problems is None:
                raise
            problems.add(error)
    return notes


def _note(
    key: Node, value: Node, path: str, names: dict[str, tuple[int, int]],
    position: Callable[[ScalarNode, int], tuple[int, int]],
) -> Note:
    name = normalize_name(str(key.value))
    if name not in names:
        raise error_at(path, key, f"note for unknown name {quoted(key.value)}", "notes are keyed by input or node names")
    if is_by_language(value):
        return Note(languages={
            str(code.value): _passes(text, path, name, names, position, str(code.value)) for code, text in value.value
        })
    if isinstance(value, MappingNode) and any(_key(k) in LANGUAGES for k, _text in value.value):
        stray = next(k for k, _text in value.value if _key(k) not in LANGUAGES)
        if _key(stray) in PHASES:
            raise error_at(
                path, stray, f"note for '{name}' mixes passes and languages",
                "give a note by pass (forward:, backward:) or by language (" + ", ".join(f"{c}:" for c in LANGUAGES)
                + "), each language's text a sentence or forward:/backward:",
            )
        raise error_at(path, stray, f"note for '{name}': unknown language {quoted(_key(stray))}", language_hint())
    return Note(*_passes(value, path, name, names, position))


def _key(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else "?"


def _passes(
    value: Node, path: str, name: str, names: dict[str, tuple[int, int]],
    position: Callable[[ScalarNode, int], tuple[int, int]], language: str = "",
) -> tuple[str, str]:
    """(forward, backward) of a note given as a sentence or as forward:/backward: (``language``: whose)."""
    whose = f" in {language}" if language else ""
    if isinstance(value, MappingNode):
        texts: dict[str, str] = {}
        for phase_key, phase_value in value.value:
            phase = str(phase_key.value) if isinstance(phase_key, ScalarNode) else "?"
            if phase not in PHASES:
                raise error_at(
                    path, phase_key, f"note for '{name}'{whose}: unknown key {quoted(phase)}",
                    "a note is a sentence, or a mapping with forward: and/or backward:",
                )
            texts[phase] = _checked(phase_value, path, name, phase, names, position, language)
        if not texts:
            raise error_at(path, value, f"note for '{name}'{whose} is empty", "write forward: and/or backward: sentences")
        return texts.get("forward", ""), texts.get("backward", "")
    text = _checked(value, path, name, "both", names, position, language)
    return text, text


def _checked(
    node: Node,
    path: str,
    name: str,
    phase: str,
    names: dict[str, tuple[int, int]],
    position: Callable[[ScalarNode, int], tuple[int, int]],
    language: str = "",
) -> str:
    what = f"note for '{name}'" if phase == "both" else f"{phase} note for '{name}'"
    if language:
        what += f" in {language}"
    raw = read_text(node, path, what)
    # Offsets are taken in the raw scalar so they line up with the source.
    try:
        found = placeholders(raw)
    except NoteError as exc:
        line, col = position(node, exc.offset)
        raise ScenarioError(path, line, col, f"in the {what}: {exc.message}", exc.hint) from None
    for placeholder in found:
        line, col = position(node, placeholder.offset)
        shown = f"{{grad({placeholder.name})}}" if placeholder.grad else f"{{{placeholder.name}}}"
        if placeholder.name not in names:
            raise ScenarioError(
                path, line, col, f"in the {what}: {shown} names nothing defined",
                "placeholders name an input, param or node: {name} or {grad(name)}",
            )
        if placeholder.grad and phase != "backward":
            where = "a note shown in both passes" if phase == "both" else "a forward note"
            raise ScenarioError(
                path, line, col,
                f"in the {what}: {shown} in {where}; gradients are known only in the backward pass",
                f"move it under backward:, e.g. {name}: {{forward: ..., backward: ...}}",
            )
    return raw.strip()
