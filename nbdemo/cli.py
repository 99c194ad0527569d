"""The ``nbdemo`` command: ``nbdemo demo`` (the gallery) and ``nbdemo run app.py``."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path


def _demo(args: argparse.Namespace) -> int:
    from .demos import DEMOS, sources
    from .server import Server

    mounts = sources()
    server = Server(mounts, host=args.host, port=args.port, title="nbdemo gallery",
                    show_error=True)
    server.start()
    print(f"* nbdemo gallery ({len(DEMOS)} demos) on {server.url}", flush=True)
    # The server answers now; the demos are built in the background, in gallery
    # order, so the first visit of a page rarely waits (a visit builds it if not).
    threading.Thread(target=lambda: [s.get() for s in mounts.values()],
                     name="nbdemo-gallery-warmup", daemon=True).start()
    server.block()
    return 0


def _run(args: argparse.Namespace) -> int:
    from .reload import App, serve

    path = Path(args.app)
    if not path.is_file():
        print(f"nbdemo run: no such file: {path}", file=sys.stderr)
        return 2
    if args.reload:
        try:
            import watchfiles  # noqa: F401  (fail before the app runs, with the command that helps)
        except ModuleNotFoundError:
            print('nbdemo: reload mode needs watchfiles: pip install "nbdemo[reload]"',
                  file=sys.stderr)
            return 2
    app = App(path, demo_name=args.demo_name, encoding=args.encoding, argv=args.script_args)
    watch_dirs = [d for group in args.watch_dirs or [] for d in group.split(",") if d]
    return serve(app, host=args.host, port=args.port, reload=args.reload,
                 watch_dirs=watch_dirs, show_error=args.show_error)


def _env_list(name: str) -> list[str] | None:
    value = os.environ.get(name)
    return [value] if value else None


def _add_run_arguments(p: argparse.ArgumentParser, reload_default: bool) -> None:
    p.add_argument("app", help="a Python script or a notebook (.ipynb) that makes a demo")
    p.add_argument("--port", type=int, default=None,
                   help="default: $NBDEMO_SERVER_PORT, else 7860 or the next free port")
    p.add_argument("--host", default=os.environ.get("NBDEMO_SERVER_NAME", "127.0.0.1"),
                   help="default: $NBDEMO_SERVER_NAME, else 127.0.0.1")
    p.add_argument("--demo-name", default=os.environ.get("NBDEMO_WATCH_DEMO_NAME"),
                   help="the variable holding the demo (default: $NBDEMO_WATCH_DEMO_NAME, else "
                        "`demo`, else the demo the file launched or displayed last)")
    p.add_argument("--watch-dirs", action="append", default=_env_list("NBDEMO_WATCH_DIRS"),
                   help="more folders to watch (repeat, or comma-separated; default "
                        "$NBDEMO_WATCH_DIRS); the file's folder and the working directory "
                        "are always watched")
    p.add_argument("--encoding", default=os.environ.get("NBDEMO_WATCH_ENCODING", "utf-8"),
                   help="the script's encoding (default: $NBDEMO_WATCH_ENCODING, else utf-8)")
    p.add_argument("--show-error", action="store_true", help="show exception messages to users")
    if reload_default:
        p.set_defaults(reload=True)
    else:
        p.add_argument("--reload", action="store_true",
                       help='run the file again and update open pages on every save '
                            '(needs pip install "nbdemo[reload]")')
    p.set_defaults(func=_run)


def main(argv: list[str] | None = None) -> int:
    """``nbdemo demo``, ``nbdemo run FILE [--reload]``, or ``nbdemo FILE`` (reload mode).

    Arguments after the file that nbdemo does not know go to the script
    (its ``sys.argv[1:]``), as with ``gradio app.py``.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] not in ("demo", "run") and not argv[0].startswith("-"):
        p = argparse.ArgumentParser(prog="nbdemo", description="Serve FILE's demo and reload it "
                                    "on every save (the same as `nbdemo run FILE --reload`).")
        _add_run_arguments(p, reload_default=True)
        args, args.script_args = p.parse_known_args(argv)
        return args.func(args)
    parser = argparse.ArgumentParser(
        prog="nbdemo", description="Gradio-style demos, native to Jupyter. "
        "`nbdemo app.py` serves app.py's demo and reloads it on save.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="serve the built-in demo gallery")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: 7860 or the next free port")
    p.set_defaults(func=_demo)
    p = sub.add_parser("run", help="serve the demo of a Python script or a notebook")
    _add_run_arguments(p, reload_default=False)
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "run":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.script_args = extra
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
