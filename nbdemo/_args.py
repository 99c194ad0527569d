"""Keyword arguments nbdemo does not take: never swallowed.

A Gradio argument nbdemo does not support yet emits one ``UserWarning`` that
names it (and is otherwise ignored); any other unknown name raises
``TypeError``, as a Python function (and Gradio) would.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

#: Every keyword argument of a Gradio 6 component or layout constructor
#: (read from gradio/components/*.py and gradio/layouts/*.py). A component
#: given one of these that it has no trait for warns; any other name raises.
GRADIO_COMPONENT_ARGS = frozenset("""
active adjacent_separator allow_custom_value allow_file_downloads allow_preview allow_reordering
allow_tags anchor_links api_name api_visibility apply_default_css autocomplete autofocus autoplay
autoscroll avatar_images brush buttons camera_position canvas_size caption choices clear_color
col_count color color_map color_title colors_in_legend column_count column_limits column_widths
columns combine_adjacent component_props components container copied_value css_template datatype
default_value delete_callback display_mode editable elem_classes elem_id equal_height eraser every
examples feedback_options feedback_value file_count file_types filterable fit_columns
fixed_canvas format formatter glob group_consecutive_messages head header header_links headers
height html_attributes html_template icon id ignore_glob image_mode include_audio include_time
info inputs interactive js_on_load key label language latex_delimiters layers layout
like_user_message line_breaks lines link link_target linkify load_fn logout_value loop
main_page_name max_chars max_choices max_height max_length max_lines max_plain_text_length
maximum min_height min_width minimum multiselect num_top_classes object_fit open orientation
padding pan_speed pinned_columns placeholder playback_position position precision
preserved_by_key preview proxy_url randomize reasoning_tags recording render render_children
render_markdown resizable root_dir row_count row_limits rows rtl sample_labels samples
samples_per_page sanitize_html scale secret selected selected_index separator server_functions
show_heading show_indices show_inline_category show_label show_legend show_line_numbers
show_progress show_row_numbers show_search show_select_all show_whitespaces size
slider_position sort sources speakers static_columns step stop_btn storage_key streaming
submit_btn subtitles tags text_align time_to_live timezone title tooltip transforms type ui_mode
unformatter value variant visible watermark waveform_options webcam_options width wrap
wrap_lines x x_axis_format x_axis_labels_visible x_bin x_label_angle x_lim x_title y
y_aggregate y_axis_format y_label_angle y_lim y_title zoom_speed
""".split())


def check(where: str, kw: dict, not_yet: Iterable[str], stacklevel: int = 3) -> None:
    """Refuse what ``where`` does not take: ``TypeError`` naming the first
    name that is not in ``not_yet``; otherwise one ``UserWarning`` naming
    every (Gradio) argument in ``kw``, which is then ignored."""
    if not kw:
        return
    not_yet = set(not_yet)
    for name in kw:
        if name not in not_yet:
            raise TypeError(f"{where}() got an unexpected keyword argument {name!r}")
    names = ", ".join(f"{n}=" for n in kw)
    warnings.warn(f"nbdemo's {where}() does not support {names} yet; ignored",
                  UserWarning, stacklevel=stacklevel)
