"""A random-key pilot: every built-in and a generated 300-node scenario, a few
hundred keys each drawn from the app's own bindings (whatever screen is up),
typing garbage into the edit dialog and the quiz's answer box, theme switches
from the palette and resizes down to 20x5 and back; no exception may escape.

Fixed seeds; keys are queued as a terminal delivers them (typing ahead of
the screen), and the screen catches up every 8 keys.
"""

from __future__ import annotations

import asyncio
import os
import random
import unicodedata
import zlib
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from tutor.scenario import builtin_names
from tutor.ui.app import TutorApp

KEYS_PER_SCENARIO = int(os.environ.get("TUTOR_RANDOM_KEYS", "300"))
"""Keys per scenario: 300 keeps the whole file near two minutes; set TUTOR_RANDOM_KEYS for longer runs."""
THEMES = sorted(App().available_themes)
SIZES = [(20, 5), (30, 8), (80, 24), (120, 40), (100, 30), (200, 60)]
NEVER = {"q", "ctrl+q", "ctrl+c", "ctrl+z"}
"""Keys that end or suspend the app: a random session must not leave."""
TYPING = list("0123456789.-+*/()eE^ ax,") + ["1e308", "2*2", "abc", "((", "1/0", "9" * 40, "exp(800)", "nan", "inf",
                                             "__import__('os')", "\u202e", "é", "backspace", "enter", "escape", "tab"]
"""What a learner types into the edit dialog and the quiz's answer box, sense and nonsense."""


def big_scenario(path: Path, count: int = 300) -> Path:
    """``count`` named nodes over three inputs and two params, each reading the ones before it."""
    rng = random.Random(300)
    lines = ["title: Three hundred nodes", "inputs:", "  x: 0.5", "  y: -1", "  z: 2", "params:", "  w: 0.1",
             "  b: 0.2", "nodes:"]
    names = ["x", "y", "z", "w", "b"]
    ops = ["{a} + {b}", "{a} * {b}", "{a} - {b}", "sigmoid({a})", "tanh({a} * {b})", "max({a}, {b})", "{a} ** 2",
           "exp(-{a} * {a})", "relu({a})", "{a} / (1 + {b} * {b})"]
    for k in range(count):
        a, b = rng.choice(names[-20:]), rng.choice(names)
        lines.append(f"  n{k}: " + rng.choice(ops).format(a=a, b=b))
        names.append(f"n{k}")
    lines.append(f"output: n{count - 1}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def palette_theme(pilot, name: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause(0.05)
    await pilot.press(*"theme")
    await pilot.pause(0.15)
    await pilot.press("enter")
    await pilot.pause(0.15)
    await pilot.press(*name)
    await pilot.pause(0.15)
    await pilot.press("enter")
    await pilot.pause(0.05)


def binding_keys(app: App) -> list[str]:
    """The keys the screen in front answers to now (the app's own bindings), minus the ones that quit."""
    keys: list[str] = []
    for key, active in app.active_bindings.items():
        if key in NEVER or active.binding.action in ("quit", "app.quit", "app.suspend_process"):
            continue
        keys.append(key)
    return keys


async def send(pilot, *keys: str) -> None:
    """Queue key events as the terminal would, without waiting for the screen to settle after each
    (``pilot.press`` waits for idle after every key: ten times slower); ``settle`` catches up."""
    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(0)


async def session(app: TutorApp, seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pressed: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        palette_switches = 3  # through the palette as a learner does; the rest set app.theme directly
        for _ in range(count):
            roll = rng.random()
            if roll < 0.04:
                width, height = rng.choice(SIZES)
                pressed.append(f"<resize {width}x{height}>")
                await pilot.resize_terminal(width, height)
            elif roll < 0.06:
                name = rng.choice(THEMES)
                if palette_switches and pilot.app.screen.is_modal is False:
                    palette_switches -= 1
                    pressed.append(f"<palette theme {name}>")
                    await palette_theme(pilot, name)
                else:
                    pressed.append(f"<theme {name}>")
                    app.theme = name
            elif roll < 0.3:
                keys = rng.choice(TYPING)
                pressed.append(keys)
                await send(pilot, *([keys] if keys in ("backspace", "enter", "escape", "tab") else keys))
            else:
                keys = binding_keys(pilot.app) or ["escape"]
                key = rng.choice(keys)
                pressed.append(key)
                await send(pilot, key)
            if len(pressed) % 8 == 0:
                await pilot.pause()  # let the screen catch up, so the next keys come from its bindings
                assert app.is_running, f"the app stopped after {pressed[-20:]}"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.is_running
    return pressed


SCENARIOS = builtin_names() + ["<300 nodes>"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_random_keys_never_raise(name: str, tmp_path: Path, make_app) -> None:
    spec = str(big_scenario(tmp_path / "big.yaml")) if name == "<300 nodes>" else name
    app = make_app(spec)
    seed = zlib.crc32(name.encode("utf-8"))
    try:
        asyncio.run(session(app, seed, KEYS_PER_SCENARIO))
    except Exception as exc:  # the keys that led there make the failure reproducible by hand
        raise AssertionError(f"{name}, seed {seed}: {type(exc).__name__}: {exc}") from exc
