"""gr.Workflow (nbdemo/workflow.py): a graph file or bound functions become
forms; operators run in edge order; a Hugging Face node is refused by name."""

from __future__ import annotations

import asyncio
import json

import pytest
from recording import RecordingSession, settle

import nbdemo as gr
from nbdemo.engine import Engine


def shout(text: str) -> str:
    return text.upper()


def exclaim(text: str, marks: int = 1) -> str:
    return text + "!" * marks


GRAPH = {
    "schema_version": "2", "name": "Text Tools",
    "references": [{"id": "r", "label": "Text", "asset_type": "text", "data": {"out": "hi"},
                    "outputs": [{"id": "out", "label": "Text", "type": "text"}]}],
    "operators": [
        {"id": "a", "label": "shout", "kind": "fn", "fn": "shout",
         "inputs": [{"id": "in", "label": "text", "type": "text"}],
         "outputs": [{"id": "out_0", "label": "output", "type": "text", "output_index": 0}]},
        {"id": "b", "label": "exclaim", "kind": "fn", "fn": "exclaim",
         "inputs": [{"id": "in", "label": "text", "type": "text"}],
         "outputs": [{"id": "out_0", "label": "output", "type": "text", "output_index": 0}]},
        {"id": "c", "label": "Painter", "kind": "space", "space_id": "someone/painter",
         "inputs": [{"id": "in_0", "label": "Prompt", "type": "text"}],
         "outputs": [{"id": "out_0", "label": "Image", "type": "image", "output_index": 0}]}],
    "subjects": [{"id": "s", "label": "Loud", "asset_type": "text", "inputs": [{"id": "in", "type": "text"}]},
                 {"id": "p", "label": "Picture", "asset_type": "image", "inputs": [{"id": "in", "type": "image"}]}],
    "edges": [
        # listed out of order on purpose: exclaim runs after shout because of the edges
        {"id": "e2", "from_node_id": "a", "from_port_id": "out_0", "to_node_id": "b", "to_port_id": "in"},
        {"id": "e1", "from_node_id": "r", "from_port_id": "out", "to_node_id": "a", "to_port_id": "in"},
        {"id": "e3", "from_node_id": "b", "from_port_id": "out_0", "to_node_id": "s", "to_port_id": "in"},
        {"id": "e4", "from_node_id": "b", "from_port_id": "out_0", "to_node_id": "c", "to_port_id": "in_0"},
        {"id": "e5", "from_node_id": "c", "from_port_id": "out_0", "to_node_id": "p", "to_port_id": "in"}],
}


def run(demo, button, values):
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, values)
        engine.trigger(s, button._id, "click")
        await settle(s)
        return s

    return asyncio.run(main())


def test_a_graph_file_runs_its_python_nodes_and_refuses_hugging_face_by_name(tmp_path):
    (tmp_path / "flow.json").write_text(json.dumps(GRAPH))
    with pytest.warns(UserWarning, match="no canvas"):
        demo = gr.Workflow(str(tmp_path / "flow.json"), bind=[shout, exclaim, len])
    text = next(c for c in demo.components() if getattr(c, "label", None) == "Text")
    loud = next(c for c in demo.components() if getattr(c, "label", None) == "Loud")
    button = next(c for c in demo.components() if getattr(c, "value", None) == "Run")
    assert demo.title == "Text Tools" and text.value == "hi"  # the reference's data
    assert any("`len`" in str(c.value) for c in demo.components() if type(c).__name__ == "Markdown")
    s = run(demo, button, {text: "hey"})
    assert s.statuses()[-1] == "error"
    assert "'Painter' calls the Hugging Face space 'someone/painter'" in s.status_msgs()[-1]["message"]
    # without the Space, the Python part runs: a graph of bound functions only
    graph = {**GRAPH, "operators": GRAPH["operators"][:2], "subjects": GRAPH["subjects"][:1],
             "edges": GRAPH["edges"][:3]}
    (tmp_path / "workflow.json").write_text(json.dumps(graph))
    with pytest.warns(UserWarning):
        demo = gr.Workflow(str(tmp_path / "workflow.json"), bind={"shout": shout, "exclaim": exclaim})
    text, loud = (next(c for c in demo.components() if getattr(c, "label", None) == n) for n in ("Text", "Loud"))
    button = next(c for c in demo.components() if getattr(c, "value", None) == "Run")
    assert run(demo, button, {text: "hey"}).value(loud) == "HEY!"
    assert demo.dependencies[0].api_name == "loud"


def test_bound_functions_alone_make_a_graph_and_bad_graphs_fail_clearly(tmp_path):
    with pytest.warns(UserWarning):
        demo = gr.Workflow(str(tmp_path / "none.json"), bind=[shout, exclaim], edges=[("shout", "exclaim.text")])
    shown = [(type(c).__name__, c.label) for c in demo.components() if type(c).__name__ in ("Textbox", "Number")]
    # shout's text and exclaim's marks are inputs; exclaim's text comes from shout; one output
    assert shown == [("Textbox", "text"), ("Number", "marks"), ("Textbox", "exclaim")]
    with pytest.raises(FileNotFoundError, match="no graph file"):
        gr.Workflow(str(tmp_path / "none.json"))
    (tmp_path / "bad.json").write_text(json.dumps({**GRAPH, "operators": GRAPH["operators"][:1]}))
    with pytest.raises(ValueError, match="names no node"), pytest.warns(UserWarning):
        gr.Workflow(str(tmp_path / "bad.json"), bind=[shout])
