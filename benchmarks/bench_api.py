"""HTTP API speed: nbdemo and Gradio side by side, same echo function.

For each server (each in its own process; Gradio from its own venv):

- raw ``/call``: POST ``/gradio_api/call/echo`` then GET its SSE stream, over
  one keep-alive connection: p50 and p99 of 200 sequential calls;
- throughput: 8 client threads (one connection each) calling for ``--seconds``;
- ``gradio_client.Client.predict`` p50 over 50 calls.

    python benchmarks/bench_api.py [--gradio-python /tmp/gradio-venv/bin/python]

Two floors are measured in the same run, to show what no server can go under:

- ``tornado floor``: the raw ``/call`` pair against a bare tornado app (this
  interpreter) that answers the POST with an event_id and the GET with one
  ``complete`` event: no queue, no validation, no worker thread;
- ``client floor``: one ``httpx.post`` (what ``gradio_client`` does per
  ``predict``: a new httpx client, so a new SSL context, per request) to a
  route that answers 404 at once.

``gradio_client.predict`` is also timed on a function that sleeps 20 ms: the
client looks for its messages every 50 ms once its join request returns, so a
server that answers the join after a fast run's result has left saves that wait.

Gradio is skipped when its interpreter is missing. Results go to
``benchmarks/results_api.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent

APP = """
import sys
import {lib} as gr

import time

def echo(text):
    return text

def sleep20(text):
    time.sleep(0.02)
    return text

with gr.Blocks() as demo:
    inp = gr.Textbox()
    out = gr.Textbox()
    gr.Button().click(echo, inp, out, api_name="echo")
    gr.Button().click(sleep20, inp, out, api_name="sleep20")
demo.queue(default_concurrency_limit=None)
demo.launch(server_name="127.0.0.1", server_port={port}, quiet=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FLOOR = """
import itertools, sys
import tornado.ioloop, tornado.web

texts = {{}}
ids = itertools.count()

class Post(tornado.web.RequestHandler):
    def post(self):
        eid = str(next(ids))
        texts[eid] = tornado.escape.json_decode(self.request.body)["data"][0]
        self.finish({{"event_id": eid}})

class Get(tornado.web.RequestHandler):
    def get(self, eid):
        self.set_header("Content-Type", "text/event-stream")
        self.finish("event: complete\\ndata: " + tornado.escape.json_encode([texts.pop(eid)]) + "\\n\\n")

class Config(tornado.web.RequestHandler):
    def get(self):
        self.finish({{}})

app = tornado.web.Application([(r"/config", Config), (r"/gradio_api/call/echo", Post),
                               (r"/gradio_api/call/echo/(.+)", Get)])
app.listen({port}, "127.0.0.1")
print("ready", flush=True)
tornado.ioloop.IOLoop.current().start()
"""


def start(python: str, lib: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    script = Path(tempfile.mkdtemp()) / f"{lib}_echo.py"
    script.write_text((FLOOR if lib == "tornado" else APP).format(lib=lib, port=port))
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([python, str(script)], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "config", timeout=2).read()
            return proc, url
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"{lib} server did not start")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def raw_call(conn: http.client.HTTPConnection, text: str) -> str:
    body = json.dumps({"data": [text]})
    conn.request("POST", "/gradio_api/call/echo", body, {"Content-Type": "application/json"})
    r = conn.getresponse()
    event_id = json.loads(r.read())["event_id"]
    conn.request("GET", f"/gradio_api/call/echo/{event_id}")
    r = conn.getresponse()
    data = r.read().decode()
    if "event: complete" not in data or text not in data:
        raise RuntimeError(f"unexpected stream: {data[:200]}")
    return data


def measure(url: str, seconds: float, with_client: bool = True) -> dict:
    port = int(url.rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(20):  # warm-up
        raw_call(conn, f"w{i}")
    times = []
    for i in range(200):
        t0 = time.perf_counter()
        raw_call(conn, f"hello {i}")
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    times.sort()
    done = [0] * 8
    stop_at = time.monotonic() + seconds

    def worker(k: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            raw_call(c, f"t{k}")
            done[k] += 1
        c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = sum(done) / (time.monotonic() - t0)
    result = {"call_p50_ms": round(statistics.median(times), 2),
              "call_p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
              "calls_per_s_8_threads": round(rate, 1)}
    if not with_client:
        return result

    import httpx
    from gradio_client import Client

    floor = []
    for _ in range(30):
        t0 = time.perf_counter()
        httpx.post(url + "gradio_api/no-such-route", json={})
        floor.append((time.perf_counter() - t0) * 1000)
    client = Client(url, verbose=False)
    for name, n in (("echo", 50), ("sleep20", 30)):
        for i in range(3):
            client.predict(f"w{i}", api_name=f"/{name}")
        gc_times = []
        for i in range(n):
            t0 = time.perf_counter()
            assert client.predict(f"p{i}", api_name=f"/{name}") == f"p{i}"
            gc_times.append((time.perf_counter() - t0) * 1000)
        key = "gradio_client_predict_p50_ms" if name == "echo" else "predict_20ms_fn_p50_ms"
        result[key] = round(statistics.median(gc_times), 2)
    client.close()
    result["client_floor_httpx_post_p50_ms"] = round(statistics.median(floor), 2)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gradio-python", default="/tmp/gradio-venv/bin/python")
    ap.add_argument("--seconds", type=float, default=5.0, help="throughput run length (s)")
    args = ap.parse_args()
    results = {}
    runs = [("nbdemo", sys.executable), ("tornado", sys.executable)]
    if Path(args.gradio_python).exists():
        runs.append(("gradio", args.gradio_python))
    else:
        print(f"(gradio skipped: no {args.gradio_python})")
    for lib, python in runs:
        proc, url = start(python, lib)
        try:
            results[lib] = measure(url, args.seconds, with_client=lib != "tornado")
        finally:
            stop(proc)
        print(lib, results[lib], flush=True)
    keys = ["call_p50_ms", "call_p99_ms", "calls_per_s_8_threads", "gradio_client_predict_p50_ms",
            "predict_20ms_fn_p50_ms", "client_floor_httpx_post_p50_ms"]
    print(f"\n{'':34}" + "".join(f"{lib:>12}" for lib in results))
    for k in keys:
        print(f"{k:34}" + "".join(f"{results[lib].get(k, '-'):>12}" for lib in results))
    (HERE / "results_api.json").write_text(json.dumps(
        {"machine": f"{os.cpu_count()} cores", "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
