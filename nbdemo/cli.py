"""The ``nbdemo`` command: ``nbdemo demo`` (the gallery) and ``nbdemo run app.py``."""

from __future__ import annotations

import argparse
import runpy
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
    from .blocks import Blocks

    path = Path(args.app)
    if not path.is_file():
        print(f"nbdemo run: no such file: {path}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(path.resolve().parent))
    namespace = runpy.run_path(str(path), run_name="nbdemo_app")
    demo = namespace.get(args.demo_name)
    if not isinstance(demo, Blocks):
        found = [k for k, v in namespace.items() if isinstance(v, Blocks)]
        hint = f"; found {', '.join(found)} (use --demo-name)" if found else ""
        print(f"nbdemo run: {path} defines no Blocks/Interface named {args.demo_name!r}{hint}",
              file=sys.stderr)
        return 2
    demo.launch(server_name=args.host, server_port=args.port, show_error=args.show_error)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nbdemo", description="Gradio-style demos, native to Jupyter.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="serve the built-in demo gallery")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: 7860 or the next free port")
    p.set_defaults(func=_demo)
    p = sub.add_parser("run", help="serve the `demo` of a Python script")
    p.add_argument("app", help="path to a script that defines `demo`")
    p.add_argument("--port", type=int, default=None, help="default: 7860 or the next free port")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--demo-name", default="demo", help="the variable holding the demo (default: demo)")
    p.add_argument("--show-error", action="store_true", help="show exception messages to users")
    p.set_defaults(func=_run)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
