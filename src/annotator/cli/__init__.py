"""Command line: `annotator [COMMAND] ...`; with no command, the window opens.

Each module in this package that defines `register(subparsers)` adds its
commands; a command's handler returns an exit code. Errors meant for the
user (AnnotatorError) print one sentence on stderr, never a traceback.
"""

import argparse
import importlib
import pkgutil
import sys

from annotator import __version__
from annotator.core.util.errors import AnnotatorError, DiskFull


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", description="Evidence annotation for counsel at public inquiries."
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def run(argv: list[str]) -> int:
    if not argv or (len(argv) >= 1 and argv[0].endswith(".annot") and len(argv) == 1):
        from annotator.gui.app import main as gui_main

        return gui_main(argv[:1])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except DiskFull as err:
        print(f"annotator: {err}", file=sys.stderr)
        return 4
    except AnnotatorError as err:
        print(f"annotator: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("annotator: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # last resort: one line for the user, details in the log
        from annotator.core.util.logs import log_exception

        where = log_exception(err)
        print(
            f"annotator: unexpected error ({type(err).__name__}: {err}); details in {where}", file=sys.stderr
        )
        return 3
