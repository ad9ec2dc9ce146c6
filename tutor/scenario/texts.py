"""A scenario's words in several languages: ``title``, ``description`` and notes.

Each may be one text, meaning every language, or a mapping by language code
(the codes of ``tutor.i18n.LANGUAGES``)::

    title: {en: Buying apples, ja: りんごの買い物}

The loader keeps every language's text (``{"": text}`` for one text for all);
the lesson shows the current language's (``tutor.i18n.pick``: that language,
else the text for all, else English, else any).
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from tutor.i18n import LANGUAGES
from tutor.scenario.errors import error_at
from tutor.scenario.values import NULL_TAG
from tutor.scenario.visible import quoted

EVERY = ""
"""The key of a text given once, for every language."""


def language_hint() -> str:
    return f"give one text, or one per language: {', '.join(f'{code}: ...' for code in LANGUAGES)}"


def is_by_language(node: Node) -> bool:
    """Whether ``node`` is a mapping whose keys are all language codes."""
    return isinstance(node, MappingNode) and bool(node.value) and all(
        isinstance(key, ScalarNode) and key.value in LANGUAGES for key, _ in node.value
    )


def read_texts(node: Node, path: str, what: str, strip: bool = False) -> dict[str, str]:
    """``{"": text}`` for one text, or language code -> text for a mapping by language (``strip``: each stripped)."""
    if isinstance(node, ScalarNode) and node.tag != NULL_TAG:
        return {EVERY: node.value.strip() if strip else node.value}
    if not isinstance(node, MappingNode):
        raise error_at(path, node, f"{what} must be text")
    if not node.value:
        raise error_at(path, node, f"{what} is empty", language_hint())
    texts: dict[str, str] = {}
    for key, value in node.value:
        code = key.value if isinstance(key, ScalarNode) else "?"
        if code not in LANGUAGES:
            raise error_at(path, key, f"{what}: unknown language {quoted(code)}", language_hint())
        if not isinstance(value, ScalarNode) or value.tag == NULL_TAG:
            raise error_at(path, value, f"{what} in {code} must be text", f"e.g. {code}: a sentence")
        texts[code] = value.value.strip() if strip else value.value
    return texts
