"""Unit tests for nbdemo.components: preprocess/postprocess for every component
and option, wire validation, Interface shortcuts and default labels, and the
import weight of ``import nbdemo``."""

from __future__ import annotations

import datetime
import subprocess
import sys
import threading

import pytest

import nbdemo as gr
from nbdemo.components import SHORTCUTS, from_shortcut

# -- Textbox -------------------------------------------------------------------------------


def test_textbox_preprocess_gives_str_and_empty_for_none():
    tb = gr.Textbox()
    assert tb.value == ""
    assert tb.preprocess("hello") == "hello"
    assert tb.preprocess(None) == ""


def test_textbox_postprocess_applies_str_and_none_clears():
    tb = gr.Textbox()
    assert tb.postprocess(3) == "3"
    assert tb.postprocess(None) == ""
    assert gr.Textbox(12).value == "12"


@pytest.mark.parametrize("kind", ["text", "password", "email"])
def test_textbox_types(kind):
    assert gr.Textbox(type=kind).type == kind


def test_textbox_rejects_unknown_type():
    with pytest.raises(Exception, match="type"):
        gr.Textbox(type="bogus")


@pytest.mark.parametrize("bad", [{"a": 1}, 3, [1, 2], True])
def test_textbox_validate_wire_rejects_non_str(bad):
    with pytest.raises(ValueError, match="Textbox"):
        gr.Textbox().validate_wire(bad)


def test_textbox_validate_wire_accepts_str():
    assert gr.Textbox().validate_wire("ok") == "ok"


# -- Number ---------------------------------------------------------------------------------


def test_number_precision_zero_gives_int():
    n = gr.Number(precision=0)
    out = n.preprocess(3.7)
    assert out == 4 and type(out) is int


def test_number_precision_rounds():
    assert gr.Number(precision=2).preprocess(1.23456) == 1.23


def test_number_without_precision_gives_float():
    out = gr.Number().preprocess(2.5)
    assert out == 2.5 and isinstance(out, float)


def test_number_empty_gives_none():
    n = gr.Number()
    assert n.value is None
    assert n.preprocess(None) is None
    assert n.preprocess("") is None


def test_number_numeric_string_is_parsed():
    assert gr.Number().preprocess("5") == 5.0


def test_number_non_numeric_string_is_user_error():
    with pytest.raises(gr.Error, match="not a number"):
        gr.Number(label="Age").preprocess("abc")


def test_number_minimum_and_maximum_raise_user_error():
    n = gr.Number(minimum=0, maximum=10, label="Qty")
    assert n.preprocess(0) == 0
    assert n.preprocess(10) == 10
    with pytest.raises(gr.Error, match="Qty: -1 is less than the minimum, 0"):
        n.preprocess(-1)
    with pytest.raises(gr.Error, match="Qty: 11 is more than the maximum, 10"):
        n.preprocess(11)


def test_number_postprocess_rounds_and_sends_float():
    assert gr.Number(precision=0).postprocess(2.6) == 3.0
    assert gr.Number().postprocess(None) is None
    assert gr.Number(3).value == 3.0


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_number_postprocess_refuses_non_finite(bad):
    with pytest.raises(gr.Error, match="cannot show"):
        gr.Number().postprocess(bad)


@pytest.mark.parametrize("bad", ["x", {"a": 1}, [1]])
def test_number_validate_wire_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match="Number"):
        gr.Number().validate_wire(bad)


@pytest.mark.parametrize("comp", [gr.Number, gr.Slider])
def test_validate_wire_rejects_ints_too_big_for_a_float(comp):
    with pytest.raises(ValueError, match=comp.__name__):
        comp().validate_wire(10**400)


def test_number_validate_wire_accepts_numbers_and_none():
    n = gr.Number()
    assert n.validate_wire(3) == 3.0
    assert n.validate_wire(None) is None


# -- Slider ---------------------------------------------------------------------------------


def test_slider_integral_gives_int():
    s = gr.Slider(0, 10)
    out = s.preprocess(3.0)
    assert out == 3 and type(out) is int


def test_slider_fractional_value_gives_float_even_when_integral_range():
    out = gr.Slider(0, 10).preprocess(3.5)
    assert out == 3.5 and type(out) is float


def test_slider_float_step_gives_float():
    s = gr.Slider(0, 1, step=0.1)
    out = s.preprocess(1.0)
    assert out == 1.0 and type(out) is float


def test_slider_default_step_and_value():
    s = gr.Slider(0, 10)
    assert s.step == 1
    assert s.value == 0
    assert gr.Slider(0, 1.5).step == pytest.approx(0.015)
    assert gr.Slider(2, 10, value=5).value == 5


def test_slider_out_of_range_is_user_error():
    s = gr.Slider(0, 10, label="Level")
    with pytest.raises(gr.Error, match=r"Level: 11 is outside \[0, 10\]"):
        s.preprocess(11)
    with pytest.raises(gr.Error, match="outside"):
        s.preprocess(-1)


def test_slider_empty_gives_minimum():
    assert gr.Slider(2, 10).preprocess(None) == 2
    assert gr.Slider(2, 10).postprocess(None) == 2.0


def test_slider_randomize_stays_on_a_step_in_range():
    for _ in range(20):
        v = gr.Slider(0, 10, step=2, randomize=True).value
        assert 0 <= v <= 10 and v % 2 == 0


def test_slider_validate_wire_rejects_str():
    with pytest.raises(ValueError, match="Slider"):
        gr.Slider().validate_wire("5")


# -- Checkbox ---------------------------------------------------------------------------------


def test_checkbox_bool_in_and_out():
    c = gr.Checkbox()
    assert c.value is False
    assert c.preprocess(True) is True
    assert c.preprocess(None) is False
    assert c.postprocess(1) is True
    assert gr.Checkbox(True).value is True


def test_checkbox_validate_wire_rejects_str():
    with pytest.raises(ValueError, match="Checkbox"):
        gr.Checkbox().validate_wire("yes")


# -- CheckboxGroup ------------------------------------------------------------------------------


def test_checkboxgroup_value_type():
    cg = gr.CheckboxGroup(["a", "b", "c"])
    assert cg.value == []
    assert cg.preprocess(["a", "c"]) == ["a", "c"]
    assert cg.preprocess(None) == []


def test_checkboxgroup_index_type():
    cg = gr.CheckboxGroup(["a", "b", "c"], type="index")
    assert cg.preprocess(["c", "a"]) == [2, 0]


def test_checkboxgroup_unknown_choice_is_user_error():
    with pytest.raises(gr.Error, match="'z' is not one of the choices"):
        gr.CheckboxGroup(["a", "b"]).preprocess(["z"])


def test_checkboxgroup_label_value_pairs():
    cg = gr.CheckboxGroup([("Apple", "a"), ("Banana", "b")])
    assert cg.choices == [["Apple", "a"], ["Banana", "b"]]
    assert cg.preprocess(["b"]) == ["b"]
    with pytest.raises(gr.Error):
        cg.preprocess(["Banana"])  # the label is not the value


def test_checkboxgroup_postprocess_accepts_scalar_tuple_none():
    cg = gr.CheckboxGroup(["a", "b"])
    assert cg.postprocess(("a", "b")) == ["a", "b"]
    assert cg.postprocess("a") == ["a"]
    assert cg.postprocess(None) == []
    assert gr.CheckboxGroup(["a", "b"], value=["b"]).value == ["b"]


def test_checkboxgroup_validate_wire_rejects_str():
    with pytest.raises(ValueError, match="CheckboxGroup"):
        gr.CheckboxGroup(["a"]).validate_wire("a")


def test_checkboxgroup_validate_wire_accepts_the_checked_list():
    cg = gr.CheckboxGroup(["a", "b"])
    assert cg.validate_wire(["a", "b"]) == ["a", "b"]
    assert cg.validate_wire([]) == []


# -- Radio ------------------------------------------------------------------------------------


def test_radio_value_and_index():
    assert gr.Radio(["x", "y"]).preprocess("y") == "y"
    assert gr.Radio(["x", "y"], type="index").preprocess("y") == 1


def test_radio_nothing_chosen_gives_none():
    r = gr.Radio(["x", "y"])
    assert r.value is None
    assert r.preprocess(None) is None


def test_radio_unknown_choice_is_user_error():
    with pytest.raises(gr.Error, match="'q' is not one of the choices"):
        gr.Radio(["x", "y"]).preprocess("q")


def test_radio_label_value_pairs():
    r = gr.Radio([("One", 1), ("Two", 2)], type="index")
    assert r.choices == [["One", 1], ["Two", 2]]
    assert r.preprocess(2) == 1


@pytest.mark.parametrize("bad", [{"x": 1}, [1, 2]])
def test_radio_validate_wire_rejects_non_scalars(bad):
    with pytest.raises(ValueError, match="Radio"):
        gr.Radio(["x", "y"]).validate_wire(bad)


def test_radio_validate_wire_accepts_choice():
    assert gr.Radio(["x", "y"]).validate_wire("x") == "x"


# -- Dropdown --------------------------------------------------------------------------------


def test_dropdown_value_none_never_crashes():
    d = gr.Dropdown(["a", "b"], value=None)
    assert d.value is None
    assert d.preprocess(d.value) is None
    assert d.preprocess("") is None
    assert d.preprocess([]) is None


def test_dropdown_empty_string_is_a_value_when_a_choice():
    assert gr.Dropdown(["", "a"]).preprocess("") == ""


def test_dropdown_value_and_index():
    assert gr.Dropdown(["a", "b"], value="b").value == "b"
    assert gr.Dropdown(["a", "b"]).preprocess("a") == "a"
    assert gr.Dropdown(["a", "b"], type="index").preprocess("b") == 1


def test_dropdown_unknown_value_is_user_error():
    with pytest.raises(gr.Error, match="'zz' is not one of the choices"):
        gr.Dropdown(["a", "b"]).preprocess("zz")


def test_dropdown_allow_custom_value():
    assert gr.Dropdown(["a"], allow_custom_value=True).preprocess("zz") == "zz"
    assert gr.Dropdown(["a"], allow_custom_value=True, type="index").preprocess("zz") is None


def test_dropdown_multiselect():
    d = gr.Dropdown(["a", "b", "c"], multiselect=True)
    assert d.value == []
    assert d.preprocess(["c", "a"]) == ["c", "a"]
    assert d.preprocess(None) == []
    assert d.preprocess("b") == ["b"]
    assert gr.Dropdown(["a", "b"], multiselect=True, type="index").preprocess(["b"]) == [1]
    assert gr.Dropdown(["a", "b"], value="a", multiselect=True).value == ["a"]


def test_dropdown_multiselect_max_choices():
    d = gr.Dropdown(["a", "b"], multiselect=True, max_choices=1)
    assert d.preprocess(["a"]) == ["a"]
    with pytest.raises(gr.Error, match="at most 1"):
        d.preprocess(["a", "b"])


def test_dropdown_label_value_pairs():
    d = gr.Dropdown([("One", 1), ("Two", 2)])
    assert d.choices == [["One", 1], ["Two", 2]]
    assert d.preprocess(2) == 2
    with pytest.raises(gr.Error):
        d.preprocess("Two")


@pytest.mark.parametrize("bad", [{"a": 1}, [1]])
def test_dropdown_validate_wire_rejects_non_scalars(bad):
    with pytest.raises(ValueError, match="Dropdown"):
        gr.Dropdown(["a", "b"]).validate_wire(bad)


def test_dropdown_multiselect_validate_wire():
    d = gr.Dropdown(["a", "b"], multiselect=True)
    assert d.validate_wire(["a", "b"]) == ["a", "b"]
    with pytest.raises(ValueError, match="Dropdown"):
        d.validate_wire([{"a": 1}])


# -- Button / ClearButton ------------------------------------------------------------------------


def test_button_value_is_its_text():
    b = gr.Button("Go", variant="primary")
    assert b.value == "Go"
    assert b.variant == "primary"
    assert b.preprocess("Go") == "Go"
    assert b.postprocess(None) == ""


def test_button_rejects_unknown_variant():
    with pytest.raises(Exception, match="variant"):
        gr.Button(variant="bogus")


def test_button_validate_wire_rejects_int():
    with pytest.raises(ValueError, match="Button"):
        gr.Button().validate_wire(3)


def test_clearbutton_clears_targets_to_empty_values():
    with gr.Blocks() as demo:
        tb = gr.Textbox("x")
        num = gr.Number(3)
        cg = gr.CheckboxGroup(["a"], value=["a"])
        clear = gr.ClearButton([tb, num])
        clear.add(cg)
    assert clear.value == "Clear"
    dep = [d for d in demo.dependencies if d.triggers == [(clear, "click")]]
    assert len(dep) == 1
    assert dep[0].outputs == [tb, num, cg]
    assert dep[0].fn() == ("", None, [])


# -- Markdown / HTML ----------------------------------------------------------------------------


def test_markdown_str_in_and_out():
    m = gr.Markdown("# hi")
    assert m.value == "# hi"
    assert m.postprocess(None) == ""
    assert m.postprocess(5) == "5"
    assert m.show_label is False
    assert m.sanitize_html is True


def test_html_str_in_and_out():
    h = gr.HTML("<b>x</b>", sanitize_html=False)
    assert h.value == "<b>x</b>"
    assert h.sanitize_html is False
    assert h.postprocess(None) == ""
    with pytest.raises(ValueError, match="HTML"):
        h.validate_wire(5)


# -- JSON --------------------------------------------------------------------------------------


def test_json_constructs_with_and_without_open():
    # `open` used to be a trait that shadowed Widget.open(): JSON() raised TypeError.
    j = gr.JSON({"a": 1})
    assert j.value == {"a": 1}
    assert j.comm is not None
    assert gr.JSON(open=True).value is None


def test_json_sets_become_sorted_lists():
    assert gr.JSON().postprocess({"a": {3, 1, 2}}) == {"a": [1, 2, 3]}


def test_json_nan_and_inf_become_null():
    j = gr.JSON()
    assert j.postprocess({"a": float("nan"), "b": [float("inf"), 1.0]}) == {"a": None, "b": [None, 1.0]}
    assert j.postprocess(float("-inf")) is None


def test_json_str_is_parsed_and_bad_json_kept_as_str():
    j = gr.JSON()
    assert j.postprocess('{"x": [1, 2]}') == {"x": [1, 2]}
    assert j.postprocess("not json") == "not json"


def test_json_other_objects_are_converted_without_numpy():
    class Arr:  # quacks like a numpy array
        def tolist(self):
            return [1, 2]

    out = gr.JSON().postprocess({"t": (1, 2), "d": datetime.date(2020, 1, 2), "c": 1j, "a": Arr(), 1: "k"})
    assert out == {"t": [1, 2], "d": "2020-01-02", "c": "1j", "a": [1, 2], "1": "k"}


def test_json_validate_wire_accepts_any_json():
    assert gr.JSON().validate_wire({"a": [1]}) == {"a": [1]}


# -- Label --------------------------------------------------------------------------------------


def test_label_dict_gives_sorted_confidences():
    out = gr.Label().postprocess({"cat": 0.2, "dog": 0.7, "bird": 0.1})
    assert out["label"] == "dog"
    assert [c["label"] for c in out["confidences"]] == ["dog", "cat", "bird"]
    assert [c["confidence"] for c in out["confidences"]] == [0.7, 0.2, 0.1]


def test_label_num_top_classes_limits():
    out = gr.Label(num_top_classes=2).postprocess({"cat": 0.2, "dog": 0.7, "bird": 0.1})
    assert [c["label"] for c in out["confidences"]] == ["dog", "cat"]


def test_label_str_and_number():
    assert gr.Label().postprocess("cat") == {"label": "cat", "confidences": None}
    assert gr.Label().postprocess(3) == {"label": "3", "confidences": None}
    assert gr.Label().postprocess(None) is None


def test_label_preprocess_round_trip():
    lab = gr.Label()
    assert lab.preprocess(lab.postprocess({"cat": 0.25, "dog": 0.75})) == {"dog": 0.75, "cat": 0.25}
    assert lab.preprocess(lab.postprocess("cat")) == "cat"
    assert lab.preprocess(None) is None


def test_label_rejects_unshowable_values():
    with pytest.raises(ValueError, match="Label cannot show a list"):
        gr.Label().postprocess([1, 2])
    with pytest.raises(ValueError, match="Label"):
        gr.Label().validate_wire("x")


# -- State --------------------------------------------------------------------------------------


def test_state_sessions_get_deep_copies():
    st = gr.State({"a": [1]})
    one, two = st.initial(), st.initial()
    assert one == {"a": [1]}
    one["a"].append(2)
    assert two == {"a": [1]}
    assert st.initial() == {"a": [1]}


def test_state_keeps_non_deepcopyable_objects():
    lock = threading.Lock()
    assert gr.State(lock).initial() is lock


def test_state_copies_containers_around_uncopyable_objects():
    lock = threading.Lock()
    st = gr.State({"lock": lock, "items": []})
    one, two = st.initial(), st.initial()
    assert one["lock"] is lock and two["lock"] is lock
    one["items"].append("mine")
    assert two["items"] == []


def test_state_callable_value_called_per_session():
    st = gr.State(list)
    one, two = st.initial(), st.initial()
    assert one == [] and one is not two


def test_state_callable_values_are_not_treated_as_value_functions():
    def fn(x):
        return x

    st = gr.State({"fn": fn})
    assert st.initial()["fn"] is fn


def test_state_is_hidden_and_page_cannot_set_it():
    st = gr.State(0)
    assert st.visible is False
    assert st.clear_value() == 0
    with pytest.raises(ValueError, match="State values live on the server"):
        st.validate_wire(5)


# -- Dataset ------------------------------------------------------------------------------------


def _dataset(**kw):
    comps = [gr.Textbox(label="Name", render=False), gr.Number(label="N", render=False)]
    return gr.Dataset(components=comps, samples=[["a", 1], ["b", 2.5]], **kw)


def test_dataset_shows_postprocessed_samples_and_headers():
    ds = _dataset()
    assert ds.samples == [["a", "1"], ["b", "2.5"]]
    assert ds.headers == ["Name", "N"]


@pytest.mark.parametrize("kind,expected", [("values", ["b", 2.5]), ("index", 1), ("tuple", (1, ["b", 2.5]))])
def test_dataset_types(kind, expected):
    assert _dataset(type=kind).preprocess(1) == expected


def test_dataset_out_of_range_and_none():
    ds = _dataset()
    assert ds.preprocess(None) is None
    for bad in (2, -1):
        with pytest.raises(ValueError, match="no sample"):
            ds.preprocess(bad)
    with pytest.raises(ValueError, match="Dataset"):
        ds.validate_wire("x")


# -- shortcuts, Interface labels --------------------------------------------------------------------


@pytest.mark.parametrize("name,cls", [
    ("text", gr.Textbox), ("number", gr.Number), ("slider", gr.Slider),
    ("checkbox", gr.Checkbox), ("checkboxgroup", gr.CheckboxGroup), ("radio", gr.Radio),
    ("dropdown", gr.Dropdown), ("markdown", gr.Markdown), ("html", gr.HTML),
    ("json", gr.JSON), ("label", gr.Label), ("state", gr.State),
])
def test_interface_string_shortcuts(name, cls):
    # (anywidget's add_traits() gives each instance its own subclass: use isinstance)
    demo = gr.Interface(lambda x: x, name, name)
    assert isinstance(demo.input_components[0], cls)
    assert isinstance(demo.output_components[0], cls)
    assert demo.input_components[0] in demo.dependency.inputs
    assert name in SHORTCUTS


def test_shortcut_variants_and_unknown():
    assert from_shortcut("textarea", render=False).lines == 7
    assert from_shortcut("password", render=False).type == "password"
    assert isinstance(from_shortcut("TEXT", render=False), gr.Textbox)
    with pytest.raises(ValueError, match="Unknown component shortcut 'nope'"):
        from_shortcut("nope")
    with pytest.raises(TypeError):
        from_shortcut(42)


def test_interface_default_labels():
    def greet(name, times):
        return name * int(times)

    demo = gr.Interface(greet, ["text", "number"], "text")
    assert [c.label for c in demo.input_components] == ["name", "times"]
    assert demo.output_components[0].label == "output"


def test_interface_default_labels_several_outputs_and_explicit_labels():
    demo = gr.Interface(lambda a: (a, a), gr.Textbox(label="Mine"), ["text", "text"])
    assert demo.input_components[0].label == "Mine"
    assert [c.label for c in demo.output_components] == ["output 0", "output 1"]


def test_interface_state_gets_no_label():
    demo = gr.Interface(lambda x, s: (x, s), ["text", "state"], ["text", "state"])
    assert demo.input_components[1].label is None
    assert demo.output_components[1].label is None


def test_interface_labels_when_fn_has_fewer_params():
    demo = gr.Interface(lambda *args: "x", ["text", "text"], "text")
    assert [c.label for c in demo.input_components] == ["args", "input 1"]


# -- import weight --------------------------------------------------------------------------------


def test_import_nbdemo_stays_light():
    code = ("import sys, nbdemo\n"
            "heavy = [m for m in ('numpy', 'PIL', 'pandas', 'matplotlib', 'tornado') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_building_a_demo_stays_light():
    code = ("import sys, nbdemo as gr\n"
            "gr.Interface(lambda x: x, ['text', 'json', 'label', 'dropdown'], 'json')\n"
            "heavy = [m for m in ('numpy', 'PIL', 'pandas', 'matplotlib', 'tornado') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
