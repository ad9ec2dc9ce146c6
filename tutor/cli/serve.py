"""``tutor serve [SCENARIO]``: the tutor in web browsers, one lesson per tab."""

from __future__ import annotations

import argparse

from rich.console import Console

from tutor.cli.arguments import UsageError
from tutor.i18n import N_, _
from tutor.scenario import resolve

HELP = N_("serve the tutor to web browsers: each tab gets its own lesson")
DESCRIPTION = N_("Serve the tutor to web browsers. Every browser tab runs its own lesson; "
                 "with no SCENARIO each tab starts at the scenario picker. Ctrl+C stops the server.")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", help=_("a scenario file or a built-in name (default: the picker)"))
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1, this "
                        "machine only; 0.0.0.0 for every network address)"))
    parser.add_argument("--port", type=int, default=8000, help=_("port to listen on (default 8000)"))
    parser.add_argument("--url", metavar="URL", help=_("the address browsers reach the server at, when it differs "
                        "from http://HOST:PORT (behind a proxy, say)"))


def run(args: argparse.Namespace, console: Console) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(_("--port must be 1 to 65535"))
    title = "tutor"
    if args.scenario:
        title = resolve(args.scenario).title  # a bad file fails here, once, not in every tab
    from tutor.ui.serve import serve  # Textual and the web server, only for this command

    # --lang reaches every tab's lesson; without it each tab reads the saved choice, else the locale, as the app does.
    app_args = ("--lang", args.lang) if getattr(args, "lang", None) else ()
    try:
        serve(args.scenario, args.host, args.port, title=title, url=args.url, app_args=app_args)
    except OSError as exc:
        raise UsageError(_("cannot serve on {address}: {reason}").format(
            address=f"{args.host}:{args.port}", reason=exc.strerror or exc)) from None
    return 0
