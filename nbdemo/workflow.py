"""``gr.Workflow``: a graph of nodes (Gradio 6, beta) run as forms.

Gradio's ``gr.Workflow(graph="workflow.json", bind=...)`` opens a canvas to
draw and edit a pipeline of *references* (inputs), *operators* (a bound
Python function, a Hugging Face Space or model) and *subjects* (outputs),
joined by edges; the saved graph is a JSON file (schema version 2).

nbdemo reads the same file and shows each connected part of the graph as a
form: the references as input components, a Run button, the subjects as
outputs, and the operators run in the order of the edges when Run is pressed
(also an API endpoint). It has no canvas to edit the graph (a warning says
so). A bound function runs in Python; an operator that is a Hugging Face Space
or model cannot run here (nbdemo makes no requests to other hosts): pressing
Run then shows an error naming the node and its Space or model, after the
Python nodes before it ran.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import typing
import warnings
from collections.abc import Callable
from typing import Any

from .blocks import Blocks
from .errors import Error

#: asset or port type → (component name, keyword arguments)
_COMPONENTS = {
    "text": ("Textbox", {}),
    "number": ("Number", {}),
    "boolean": ("Checkbox", {}),
    "image": ("Image", {"type": "filepath"}),
    "audio": ("Audio", {"type": "filepath"}),
    "video": ("Video", {}),
    "file": ("File", {}),
}


class Workflow(Blocks):
    """A workflow graph as a demo (Gradio 6's ``gr.Workflow``, beta there too).

    ``graph``: the workflow JSON file (schema version 2: ``references``,
    ``operators``, ``subjects``, ``edges``); a relative path is relative to the
    calling script's folder; default ``workflow.json`` there. Without that
    file, the graph is made from ``bind``: one operator per function (a
    reference per parameter, a subject for its result), joined by ``edges``
    (``[("clean", "tag.text")]``: ``"fn"`` or ``"fn.port_label"``).
    ``bind``: the Python functions operators name (``{"name": fn}`` or a list,
    named by ``__name__``). An operator's inputs are passed by port label when
    the function has parameters of those names, else in port order; a tuple
    result feeds its outputs by ``output_index``.

    Each connected part of the graph becomes a form (see the module
    docstring); its API name is the part's subjects' labels joined by "_".
    Raises ``FileNotFoundError`` when neither the file nor ``bind`` exists,
    ``ValueError`` for a graph that names an unknown node, port or function,
    or has a cycle. Unlike Gradio, the graph cannot be edited on a canvas.
    """

    def __init__(self, graph: str | None = None, *, bind: dict[str, Callable] | list[Callable] | None = None,
                 edges: list[tuple[str, str]] | None = None) -> None:
        caller = os.path.dirname(os.path.abspath(sys._getframe(1).f_code.co_filename))
        path = graph if graph is not None and os.path.isabs(graph) else \
            os.path.join(caller, graph or "workflow.json")
        if isinstance(bind, (list, tuple)):
            bind = {getattr(fn, "__name__", repr(fn)): fn for fn in bind}
        self._bound: dict[str, Callable] = dict(bind or {})
        for name, fn in self._bound.items():
            if not callable(fn):
                raise TypeError(f"gr.Workflow: bind[{name!r}] is not callable")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                self.graph = json.load(f)
        elif self._bound:
            self.graph = _graph_from(self._bound, edges or [])
        else:
            raise FileNotFoundError(f"gr.Workflow: no graph file {path} and no bound functions")
        name = self.graph.get("name") or os.path.splitext(os.path.basename(path))[0].replace("_", " ").title()
        warnings.warn("gr.Workflow: nbdemo shows each connected part of the graph as a form and runs "
                      "it; it has no canvas to edit the graph", UserWarning, stacklevel=2)
        super().__init__(title=name)
        self._build(name)

    # -- the graph -----------------------------------------------------------------
    def _nodes(self) -> dict[str, dict]:
        nodes = {}
        for role in ("references", "operators", "subjects"):
            for node in self.graph.get(role) or []:
                if not isinstance(node, dict) or "id" not in node:
                    raise ValueError(f"gr.Workflow: a node in {role} has no id")
                nodes[node["id"]] = {**node, "role": role[:-1]}
        for e in self.graph.get("edges") or []:
            for end in ("from_node_id", "to_node_id"):
                if e.get(end) not in nodes:
                    raise ValueError(f"gr.Workflow: edge {e.get('id')!r} names no node {e.get(end)!r}")
        return nodes

    def _parts(self, nodes: dict[str, dict]) -> list[list[str]]:
        """Connected parts of the graph (node ids in file order)."""
        parent = {n: n for n in nodes}

        def top(n: str) -> str:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for e in self.graph.get("edges") or []:
            parent[top(e["from_node_id"])] = top(e["to_node_id"])
        groups: dict[str, list[str]] = {}
        for n in nodes:
            groups.setdefault(top(n), []).append(n)
        return [g for g in groups.values() if any(nodes[n]["role"] == "subject" for n in g)]

    def _order(self, nodes: dict[str, dict], ids: list[str]) -> list[str]:
        """The part's operators in an order where each comes after its inputs."""
        edges = [e for e in self.graph.get("edges") or [] if e["to_node_id"] in ids]
        done: set[str] = {n for n in ids if nodes[n]["role"] == "reference"}
        order: list[str] = []
        pending = [n for n in ids if nodes[n]["role"] == "operator"]
        while pending:
            ready = [n for n in pending
                     if all(e["from_node_id"] in done for e in edges if e["to_node_id"] == n)]
            if not ready:
                raise ValueError(f"gr.Workflow: the operators {pending} form a cycle")
            for n in ready:
                pending.remove(n)
                done.add(n)
                order.append(n)
        return order

    # -- the demo --------------------------------------------------------------------
    def _build(self, name: str) -> None:
        from . import components
        from .components import Button, Markdown
        from .layout import Group, Row

        nodes = self._nodes()
        for node in nodes.values():
            if node["role"] == "operator" and node.get("kind") == "fn" and node.get("fn") not in self._bound:
                raise ValueError(f"gr.Workflow: operator {node.get('label') or node['id']!r} runs "
                                 f"{node.get('fn')!r}, which is not in bind")
        with self:
            Markdown(f"## {name}")
            for ids in self._parts(nodes):
                refs = [nodes[n] for n in ids if nodes[n]["role"] == "reference"]
                subjects = [nodes[n] for n in ids if nodes[n]["role"] == "subject"]
                order = self._order(nodes, ids)
                steps = " → ".join(_describe(nodes[n]) for n in order) or "no operators"
                with Group():
                    Markdown(f"**{', '.join(s.get('label') or s['id'] for s in subjects)}** ← {steps}")
                    with Row():
                        ins = [_component(components, r, r.get("data", {}).get("out")) for r in refs]
                    run = Button("Run", variant="primary")
                    with Row():
                        outs = [_component(components, s, None) for s in subjects]
                api = "_".join(_slug(s.get("label") or s["id"]) for s in subjects) or "workflow"
                run.click(self._runner(nodes, refs, order, subjects), ins, outs, api_name=api)
            unused = sorted(set(self._bound) - {n.get("fn") for n in nodes.values()})
            if unused:
                Markdown("Bound functions not in the graph: " + ", ".join(f"`{u}`" for u in unused))

    def _runner(self, nodes, refs, order, subjects) -> Callable:
        edges = self.graph.get("edges") or []

        def run(*values: Any) -> Any:
            ports: dict[tuple[str, str], Any] = {}
            for ref, value in zip(refs, values):
                for p in ref.get("outputs") or [{"id": "out"}]:
                    ports[(ref["id"], p["id"])] = value
            for n in order:
                node = nodes[n]
                args = []
                for p in node.get("inputs") or []:
                    feed = [e for e in edges if e["to_node_id"] == n and e["to_port_id"] == p["id"]]
                    value = ports.get((feed[0]["from_node_id"], feed[0]["from_port_id"])) if feed \
                        else (node.get("data") or {}).get(p["id"])
                    args.append((p, value))
                result = self._call(node, args)
                outs = node.get("outputs") or []
                if len(outs) == 1:
                    ports[(n, outs[0]["id"])] = result
                else:
                    seq = list(result) if isinstance(result, (tuple, list)) else [result]
                    for p in outs:
                        i = p.get("output_index", outs.index(p))
                        ports[(n, p["id"])] = seq[i] if i < len(seq) else None
            results = []
            for s in subjects:
                feed = [e for e in edges if e["to_node_id"] == s["id"]]
                results.append(ports.get((feed[0]["from_node_id"], feed[0]["from_port_id"])) if feed else None)
            return results[0] if len(results) == 1 else tuple(results)

        return run

    def _call(self, node: dict, args: list[tuple[dict, Any]]) -> Any:
        label = node.get("label") or node["id"]
        if node.get("kind") != "fn":
            where = node.get("space_id") or node.get("model_id") or node.get("source") or node.get("kind")
            raise Error(f"Workflow node {label!r} calls the Hugging Face {node.get('kind', 'node')} "
                        f"{where!r}: nbdemo makes no requests to other hosts, so it cannot run here")
        fn = self._bound[node["fn"]]
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}
        labels = [p.get("label") for p, _ in args]
        if labels and all(name in params for name in labels):
            return fn(**{p["label"]: v for p, v in args})
        return fn(*[v for _, v in args])


def _component(components, node: dict, value: Any):
    kind = node.get("asset_type") or ((node.get("outputs") or node.get("inputs") or [{}])[0].get("type"))
    name, kw = _COMPONENTS.get(kind, ("JSON", {}))
    return getattr(components, name)(value, label=node.get("label") or node["id"], **kw)


def _describe(node: dict) -> str:
    if node.get("kind") == "fn":
        return f"`{node.get('fn')}`"
    return f"{node.get('label') or node['id']} ({node.get('space_id') or node.get('model_id') or node.get('kind')})"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_") or "part"


def _graph_from(bound: dict[str, Callable], edges: list[tuple[str, str]]) -> dict:
    """A graph for ``bind`` alone: per function an operator, a reference per
    parameter and a subject for its result; ``edges`` join an output to an
    input (that input's reference is then left out)."""
    refs, ops, subjects, links = [], [], [], []
    for name, fn in bound.items():
        try:
            params = [p for p in inspect.signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            params = []
        try:
            hints = typing.get_type_hints(fn)
        except Exception:  # an annotation that does not resolve: typed as text
            hints = {}
        ops.append({"id": f"op_{name}", "label": name, "kind": "fn", "fn": name,
                    "inputs": [{"id": f"in_{p.name}", "label": p.name, "type": _type_of(hints.get(p.name))}
                               for p in params],
                    "outputs": [{"id": "out_0", "label": "output", "type": "text", "output_index": 0}]})
    fed: set[tuple[str, str]] = set()
    fed_from: set[str] = set()

    def port(spec: str, side: str) -> tuple[str, str]:
        fn_name, _, hint = spec.partition(".")
        op = next((o for o in ops if o["fn"] == fn_name.strip()), None)
        if op is None:
            raise ValueError(f"gr.Workflow: edges name no bound function {fn_name!r}")
        ports = op[side]
        p = next((p for p in ports if p["label"] == hint.strip() or p["id"] == hint.strip()), None) \
            if hint else (ports[0] if ports else None)
        if p is None:
            raise ValueError(f"gr.Workflow: no {side[:-1]} port {spec!r}")
        return op["id"], p["id"]

    for i, (src, dst) in enumerate(edges):
        (a, ap), (b, bp) = port(src, "outputs"), port(dst, "inputs")
        links.append({"id": f"edge_{i}", "from_node_id": a, "from_port_id": ap, "to_node_id": b, "to_port_id": bp})
        fed.add((b, bp))
        fed_from.add(a)
    for op in ops:
        for p in op["inputs"]:
            if (op["id"], p["id"]) not in fed:
                rid = f"ref_{op['fn']}_{p['label']}"
                refs.append({"id": rid, "label": p["label"], "asset_type": p["type"],
                             "outputs": [{"id": "out", "label": p["label"], "type": p["type"]}]})
                links.append({"id": f"in_{rid}", "from_node_id": rid, "from_port_id": "out",
                              "to_node_id": op["id"], "to_port_id": p["id"]})
        if op["id"] not in fed_from:
            sid = f"sub_{op['fn']}"
            subjects.append({"id": sid, "label": op["label"], "asset_type": "text",
                             "inputs": [{"id": "in", "label": "output", "type": "text"}]})
            links.append({"id": f"out_{sid}", "from_node_id": op["id"], "from_port_id": "out_0",
                          "to_node_id": sid, "to_port_id": "in"})
    return {"schema_version": "2", "references": refs, "operators": ops, "subjects": subjects,
            "edges": links}


def _type_of(annotation: Any) -> str:
    return {int: "number", float: "number", bool: "boolean"}.get(annotation, "text")
