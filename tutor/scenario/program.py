"""The command the tutor was run as, for the commands a message suggests.

Run as ``tutor`` (the installed script), a hint says ``tutor list``; run as
``python -m tutor`` (or from Python, a notebook, a test runner) it says
``python -m tutor list``: a command the user can type as it stands.
"""

from __future__ import annotations

import os
import sys

MODULE_COMMAND = "python -m tutor"


def program_name() -> str:
    """``tutor`` when this process is the installed script, else ``python -m tutor``."""
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    stem, extension = os.path.splitext(script)
    if stem == "tutor" and extension.lower() in ("", ".exe"):
        return script
    return MODULE_COMMAND
