"""What every install must do, run also against the lowest versions the package declares.

CI runs this folder a second time in an environment where every runtime
dependency is pinned at its declared minimum (``.ci/run``), so a minimum that
no longer works fails there: trace, both kinds of handout, training on a data
set (numpy, threadpoolctl), the settings folder (platformdirs), the app
stepping under Textual's pilot, and ``tutor serve`` giving its page and every
file the page loads from the server.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tutor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
        timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_trace_gives_the_published_numbers():
    data = json.loads(tutor("trace", "shopping", "--json").stdout)
    assert data["output_value"] == pytest.approx(220)
    assert data["grads"]["apple"] == pytest.approx(2.2)
    assert data["grads"]["tax"] == pytest.approx(200)
    table = tutor("trace", "two_paths").stdout
    assert "Backward pass" in table and "3 → 5" in table


def test_export_writes_a_picture_and_a_worksheet(tmp_path):
    tutor("export", "two_paths", "-o", str(tmp_path / "end.svg"), "--step", "end")
    picture = (tmp_path / "end.svg").read_text(encoding="utf-8")
    assert picture.lstrip().startswith("<svg") and "Backward" in _text(picture)
    tutor("export", "two_paths", "-o", str(tmp_path / "sheet.md"))
    sheet = (tmp_path / "sheet.md").read_text(encoding="utf-8")
    assert sheet.startswith("# ") and "| node |" in sheet


def test_train_on_a_data_set_learns_xor():
    """numpy's batch engine, with threadpoolctl holding BLAS to one thread."""
    data = json.loads(tutor("train", "xor", "--epochs", "1000", "--json").stdout)
    assert data["rows_right"] == 4 and data["losses"][-1] < data["initial_loss"] / 10


def test_numpy_runs_its_matrix_products_on_one_blas_thread():
    """The batch engine's small products: threadpoolctl's controller holds BLAS to one thread, then lets go."""
    import numpy  # noqa: F401 - loads the BLAS that threadpoolctl finds
    from threadpoolctl import threadpool_info

    from tutor.engine.batch_layers import one_thread

    with one_thread():
        inside = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert inside and set(inside) == {1}


def test_settings_live_in_the_users_config_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TUTOR_CONFIG_DIR"}
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    code = "from tutor.settings import config_dir; print(config_dir())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "tutor")


def _text(svg: str) -> str:
    """The words of a Textual screenshot (its SVG spells spaces as no-break spaces)."""
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def test_the_app_steps_forward_and_backward(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the picker and the screenshots folder: nothing of the checkout
    from tutor.ui.app import TutorApp

    screens: list[str] = []

    async def main() -> None:
        app = TutorApp("shopping")
        app.theme = "textual-dark"
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            for key in ("right", "end", "left"):
                await pilot.press(key)
                await pilot.pause()
                screens.append(_text(app.export_screenshot()))

    asyncio.run(main())
    after_one, at_end, back_one = screens
    assert "Forward 1 of 2" in after_one
    assert "Backward 2 of 2" in at_end and "200" in at_end
    assert "Backward 1 of 2" in back_one


def test_the_picker_opens_a_lesson_and_esc_comes_back(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    from tutor.scenario import builtin_names
    from tutor.ui.app import TutorApp

    screens: list[str] = []

    async def main() -> None:
        app = TutorApp(None)
        app.theme = "textual-dark"
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            screens.append(_text(app.export_screenshot()))
            for key in ("enter", "right", "escape"):
                await pilot.press(key)
                await pilot.pause()
                screens.append(_text(app.export_screenshot()))

    asyncio.run(main())
    picker, opened, stepped, back = screens
    first = builtin_names()[0]
    assert first in picker and first in back
    assert "Forward" not in opened and "Forward 1 of" in stepped
    assert "Forward" not in back


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own server on 127.0.0.1
        return response.status, response.read()


def test_serve_gives_its_page_and_the_files_it_loads(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "shopping", "--port", str(port)], cwd=tmp_path,
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "tutor serve did not listen"
                time.sleep(0.1)
        status, page = _get(base + "/")
        assert status == 200
        text = page.decode("utf-8")
        assert "<html" in text.lower()
        own = sorted({
            url if url.startswith("http") else base + "/" + url.lstrip("/")
            for url in re.findall(r'(?:src|href)="([^"]+)"', text)
            if url.startswith((base, "/")) or not url.startswith(("http:", "https:", "data:", "#"))
        })
        assert any(url.endswith(".js") for url in own) and any(url.endswith(".css") for url in own), own
        for url in own:
            status, body = _get(url)  # a 404 raises here, naming the URL
            assert status == 200 and body, url
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        log.close()
