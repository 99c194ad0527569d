"""Copy-and-paste snippets that call an endpoint: Python (``gradio_client``),
JavaScript (``@gradio/client``) and curl, as on the "Use via API" page.

Each is built from the endpoint's ``/info`` parameters, so the page, ``/info``
and the server agree. A file parameter's example is a sample file this server
serves itself, so every snippet runs as pasted, even offline.
"""

from __future__ import annotations

import json
import shlex
from typing import Any


def _is_file(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("meta"), dict) \
        and value["meta"].get("_type") == "gradio.FileData"


def _py(value: Any) -> str:
    if _is_file(value):
        return f"handle_file({value['path']!r})"
    if isinstance(value, list):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _js(value: Any) -> str:
    if _is_file(value):
        return f"handle_file({json.dumps(value['path'])})"
    if isinstance(value, list):
        return "[" + ", ".join(_js(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_js(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def _uses_files(value: Any) -> bool:
    if _is_file(value):
        return True
    if isinstance(value, list):
        return any(_uses_files(v) for v in value)
    if isinstance(value, dict):
        return any(_uses_files(v) for v in value.values())
    return False


def python(root: str, api_name: str, params: list[dict]) -> str:
    files = any(_uses_files(p["example_input"]) for p in params)
    lines = [f"from gradio_client import Client{', handle_file' if files else ''}", "",
             f"client = Client({root!r})", "result = client.predict("]
    for p in params:
        lines.append(f"    {p['parameter_name']}={_py(p['example_input'])},")
    lines += [f"    api_name={api_name!r},", ")", "print(result)"]
    return "\n".join(lines)


def javascript(root: str, api_name: str, params: list[dict]) -> str:
    files = any(_uses_files(p["example_input"]) for p in params)
    lines = [f"import {{ Client{', handle_file' if files else ''} }} from \"@gradio/client\";", "",
             f"const client = await Client.connect({json.dumps(root)});",
             f"const result = await client.predict({json.dumps(api_name)}, {{"]
    for p in params:
        lines.append(f"  {p['parameter_name']}: {_js(p['example_input'])},")
    lines += ["});", "", "console.log(result.data);"]
    return "\n".join(lines)


def curl(root: str, api_name: str, params: list[dict]) -> str:
    """POST the inputs (a JSON list, in parameter order), read the event id,
    then GET the result as server-sent events. Runs in bash."""
    from .describe import API_PREFIX

    base = root.rstrip("/") + API_PREFIX + "/call" + api_name
    body = json.dumps({"data": [p["example_input"] for p in params]})
    return (f"EVENT_ID=$(curl -s -X POST {shlex.quote(base)} -H 'Content-Type: application/json' \\\n"
            f"  -d {shlex.quote(body)} | sed -E 's/.*\"event_id\": *\"([^\"]+)\".*/\\1/')\n"
            f"curl -s -N {shlex.quote(base)}/$EVENT_ID")


def snippets(root: str, api_name: str, params: list[dict]) -> dict[str, str]:
    return {"python": python(root, api_name, params),
            "javascript": javascript(root, api_name, params),
            "bash": curl(root, api_name, params)}
