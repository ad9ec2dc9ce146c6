"""tutor.show: the app opens on a graph of Values as on a scenario file, every view included."""

from __future__ import annotations

import asyncio
import random

import pytest
from textual.pilot import Pilot

import tutor
from tests.ui.conftest import THEME
from tests.ui.test_pilot import lesson_screen, panel_text
from tutor import Value
from tutor.engine.numbers import fmt
from tutor.scenario.dump import scenario_of
from tutor.ui import show as show_module
from tutor.ui.app import TutorApp


def issue_example():
    a = Value(-4.0, label="a")
    b = Value(2.0, label="b")
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def drive(scenario, body, size=(80, 24)) -> None:
    app = TutorApp(scenario)
    app.theme = THEME

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await body(pilot)

    asyncio.run(main())


def test_show_s_scenario_steps_to_the_end_and_shows_a_s_and_b_s_gradients() -> None:
    a, b, g = issue_example()

    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        assert screen.scenario.title == "Your graph of add6 (tutor.Value)" and screen.scenario.name == "tutor.show"
        await pilot.press("end")
        assert "step 14 of 14" in str(screen.query_one("#progress").render())
        shown = panel_text(screen)
        assert f"∂add6/∂a={fmt(a.grad)}" in shown and f"∂add6/∂b={fmt(b.grad)}" in shown  # 138.834, 645.577
        assert screen.lesson.trace.grad("a") == a.grad and screen.lesson.trace.grad("b") == b.grad

    drive(scenario_of(g), body)


def test_a_sample_through_an_mlp_reaches_the_neuron_view_with_g() -> None:
    random.seed(1337)
    model = tutor.nn.MLP(2, [16, 16, 1])
    loss = (1 + -1 * model([0.5, -0.3])).relu()
    loss.backward()

    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        seen = [screen.lesson.view]
        for _ in range(3):
            await pilot.press("g")
            seen.append(screen.lesson.view)
        assert "neurons" in seen
        while screen.lesson.view != "neurons":
            await pilot.press("g")
        await pilot.press("end")
        assert "a1_1 · stage 4 of 4: δ and the gradients" in panel_text(screen)
        assert screen.lesson.trace.grad("w1_1_1") == model.parameters()[0].grad

    drive(scenario_of(loss, model.parameters()), body)


def test_show_without_a_terminal_says_what_to_do(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, g = issue_example()
    monkeypatch.setattr(show_module, "has_terminal", lambda: False)
    assert tutor.show(g) is None
    assert capsys.readouterr().err.strip() == show_module.NO_TERMINAL


def test_show_opens_the_app_on_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, g = issue_example()
    opened = []
    monkeypatch.setattr(show_module, "has_terminal", lambda: True)
    monkeypatch.setattr(TutorApp, "run", lambda self: opened.append(self.start_spec))
    tutor.show(g)
    (scenario,) = opened
    assert scenario.output == "add6" and list(scenario.inputs) == ["a", "b"]


def test_show_refuses_a_bad_graph_before_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TutorApp, "run", lambda self: pytest.fail("opened"))
    x = Value(2.0)
    with pytest.raises(ValueError, match="op 'sqrt'"):
        tutor.show(Value(1.4, (x,), "sqrt"))
