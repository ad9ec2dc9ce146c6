"""``record`` makes the class ``dataclass`` makes: same constructor, repr, equality, hash and freezing."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from tutor.records import record


def pair(frozen: bool = True, slots: bool = False):
    """The same class body made by ``dataclass`` and by ``record``."""

    def body():
        class Sample:
            """A sample record."""

            a: int
            b: str = "b"
            c: list = field(default_factory=list)
            d: float = field(default=1.5, repr=False, compare=False)
            e: tuple = field(default=(), init=False)
            f: dict = field(default_factory=dict, init=False, hash=False)

        return Sample

    return dataclass(frozen=frozen, slots=slots)(body()), record(frozen=frozen, slots=slots)(body())


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("slots", [True, False])
def test_records_behave_as_dataclasses(frozen: bool, slots: bool) -> None:
    made_by_dataclass, made_by_record = pair(frozen, slots)
    for cls in (made_by_dataclass, made_by_record):
        x, y = cls(1, "z", [2]), cls(1, "z", [2])
        assert (x.a, x.b, x.c, x.d, x.e, x.f) == (1, "z", [2], 1.5, (), {})
        assert cls(1).c is not cls(1).c  # a fresh default each time
        assert x == y and x is not y
        assert (cls(1, d=2.0) == cls(1, d=3.0)) and cls(1) != cls(2)  # d is not compared
        assert x.__eq__(object()) is NotImplemented
        assert dataclasses.replace(x, a=5).a == 5
        assert dataclasses.asdict(x)["c"] == [2]
        assert [f.name for f in dataclasses.fields(cls)] == list("abcdef")
        assert cls.__match_args__ == ("a", "b", "c", "d")
        with pytest.raises(TypeError):
            cls()  # a is required
        with pytest.raises(TypeError):
            cls(1, e=(1,))  # e is not a parameter
        if frozen:
            with pytest.raises(FrozenInstanceError):
                x.a = 2
            with pytest.raises(FrozenInstanceError):
                del x.b
        else:
            x.a = 2
            assert x.a == 2 and x != y
    # The same repr, the same hashing rule, and copies equal to the original.
    a, b = made_by_dataclass(1, "z", [2]), made_by_record(1, "z", [2])
    assert repr(a).replace(made_by_dataclass.__qualname__, "S") == repr(b).replace(made_by_record.__qualname__, "S")
    assert (made_by_dataclass.__hash__ is None) == (made_by_record.__hash__ is None) == (not frozen)
    if frozen:
        hashable = made_by_record(1, "z", (2,))  # a tuple in c: hashed as dataclass hashes it
        assert hash(hashable) == hash((1, "z", (2,), ()))
    assert copy.copy(b) == b and copy.deepcopy(b) == b


def test_post_init_runs_last_and_own_methods_stay() -> None:
    @record
    class Checked:
        """Refuses a negative value."""

        value: float

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

        def __repr__(self) -> str:
            return f"<{self.value}>"

    assert repr(Checked(1.0)) == "<1.0>"
    with pytest.raises(ValueError, match="negative"):
        Checked(-1.0)


def test_an_explicit_hash_stays_and_subclasses_add_fields() -> None:
    @record(frozen=False)
    class Keyed:
        """Hashed by its key alone."""

        key: str
        extra: int = 0

        def __hash__(self) -> int:
            return hash(self.key)

    assert hash(Keyed("k", 1)) == hash(Keyed("k", 2)) == hash("k")

    @record
    class Base:
        """Two fields."""

        x: int
        y: int = 0

    @record
    class Child(Base):
        """One more."""

        z: int = 9

    assert Child(1) == Child(1, 0, 9) and repr(Child(1)).endswith("Child(x=1, y=0, z=9)")
    assert Child(1) != Base(1)


def test_slotted_frozen_records_pickle() -> None:
    assert pickle.loads(pickle.dumps(Point(1, 2))) == Point(1, 2)


@record(slots=True)
class Point:
    """Picklable: defined at module level."""

    x: int
    y: int
