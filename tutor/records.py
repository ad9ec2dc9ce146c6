"""``record``: a dataclass whose methods are compiled together, for a quick start.

``dataclasses.dataclass`` compiles every method it writes (``__init__``,
``__repr__``, ``__eq__``, and for a frozen class ``__hash__``,
``__setattr__`` and ``__delattr__``) with an ``exec`` of its own when the
class is defined: about 0.3 ms for a frozen class on Python 3.11 (3.13
compiles them together). A lesson's first frame needs some thirty record
classes, which made this a tenth of the time the tutor adds to Textual's
own start-up.

``record`` makes the same class. ``dataclass`` still reads the fields (so
``dataclasses.fields``, ``replace`` and ``asdict`` work as before), then
``__init__``, ``__repr__``, ``__eq__`` and ``__hash__`` are compiled in one
``exec``, and a frozen record's ``__setattr__`` and ``__delattr__`` are plain
closures. What the methods do is what ``dataclass`` writes: the same
parameters and defaults (``field(default_factory=...)`` and ``init=False``
included), ``__post_init__`` called last, equality and hash over the
compared fields, assignment refused on a frozen record, and a method the
class defines itself left in place.
"""

from __future__ import annotations

import inspect
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import dataclass_transform

_FACTORY = object()
"""Default of a parameter whose field has a ``default_factory``: the factory is called instead."""


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type | None = None, /, *, frozen: bool = True, slots: bool = False):  # noqa: ANN201 - a decorator
    """``@dataclass(frozen=frozen, slots=slots)``, with its methods compiled together (see the module)."""

    def make(cls: type) -> type:
        return _make(cls, frozen, slots)

    return make if cls is None else make(cls)


def _make(cls: type, frozen: bool, slots: bool) -> type:
    own = dict(cls.__dict__)  # what the class defines itself (dataclass leaves such methods alone)
    documented = bool(cls.__doc__)
    cls = dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    every = fields(cls)
    names = {f.name for f in every}
    scope: dict[str, object] = {"__setter": object.__setattr__, "__factory": _FACTORY}
    source: list[str] = []

    if "__init__" not in own:
        params, body = [], []
        for f in every:
            value = f.name
            if f.init:
                if f.default is not MISSING:
                    scope[f"__default_{f.name}"] = f.default
                    params.append(f"{f.name}=__default_{f.name}")
                elif f.default_factory is not MISSING:
                    scope[f"__make_{f.name}"] = f.default_factory
                    params.append(f"{f.name}=__factory")
                    value = f"__make_{f.name}() if {f.name} is __factory else {f.name}"
                else:
                    params.append(f.name)
            elif f.default_factory is not MISSING:
                scope[f"__make_{f.name}"] = f.default_factory
                value = f"__make_{f.name}()"
            elif f.default is not MISSING:
                scope[f"__default_{f.name}"] = f.default
                value = f"__default_{f.name}"
            else:
                continue  # a field outside __init__ with no default: left unset, as dataclass leaves it
            body.append(f"__setter(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
        if hasattr(cls, "__post_init__"):
            body.append("self.__post_init__()")
        source.append(f"def __init__(self, {', '.join(params)}) -> None:\n    " + ("\n    ".join(body) or "pass"))

    if "__repr__" not in own:
        shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in every if f.repr)
        source.append(f"def __repr__(self):\n    return f'{{self.__class__.__qualname__}}({shown})'")

    compared = [f.name for f in every if f.compare]
    mine = "".join(f"self.{name}," for name in compared)
    theirs = "".join(f"other.{name}," for name in compared)
    if "__eq__" not in own:
        source.append(
            "def __eq__(self, other):\n"
            f"    if other.__class__ is self.__class__:\n        return ({mine}) == ({theirs})\n"
            "    return NotImplemented"
        )

    # The hash, as dataclass decides it (eq=True, unsafe_hash=False): kept when the class defines one,
    # over the hashed fields when frozen, none (unhashable) when not.
    explicit_hash = not (
        own.get("__hash__", MISSING) is MISSING or (own.get("__hash__") is None and "__eq__" in own)
    )
    if not explicit_hash and frozen:
        hashed = "".join(f"self.{f.name}," for f in every if (f.compare if f.hash is None else f.hash))
        source.append(f"def __hash__(self):\n    return hash(({hashed}))")

    exec("\n".join(source), scope)  # noqa: S102 - source built above from the field names only
    for name in ("__init__", "__repr__", "__eq__", "__hash__"):
        if name in scope:
            function = scope[name]
            function.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, function)
    if not explicit_hash and not frozen:
        cls.__hash__ = None
    if frozen:
        _freeze(cls, names, slots)
    if not documented:
        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _freeze(cls: type, names: set[str], slots: bool) -> None:
    """Refuse assignment and deletion of the fields, as a frozen dataclass does."""

    def __setattr__(self, name: str, value: object) -> None:  # noqa: N807
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name: str) -> None:  # noqa: N807
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for function in (__setattr__, __delattr__):
        function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
        setattr(cls, function.__name__, function)
    if slots:
        # Copying and pickling restore slots through __setattr__ unless told otherwise (dataclass does this too).
        order = tuple(f.name for f in fields(cls))

        def __getstate__(self) -> list:  # noqa: N807
            return [getattr(self, name) for name in order]

        def __setstate__(self, state: list) -> None:  # noqa: N807
            for name, value in zip(order, state):
                object.__setattr__(self, name, value)

        cls.__getstate__ = __getstate__
        cls.__setstate__ = __setstate__
