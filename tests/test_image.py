"""Unit tests for the image components (nbdemo/components/image.py, sketchpad.py,
gallery.py): what fn receives for every ``type=`` and ``image_mode``, what it
may return (NumPy uint8 and float, PIL, paths) in every ``format``, EXIF
rotation, non-images and unknown file ids. Files are real files in a real
FileStore; nothing is mocked."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

import nbdemo as gr
from nbdemo import files
from nbdemo.components.image import load_image
from nbdemo.files import FileStore

PHOTO = Path(__file__).resolve().parent / "data" / "photo.png"


@pytest.fixture
def store():
    s = FileStore()
    with files.using(s):
        yield s
    s.close()


def rgba_pixels(w: int = 6, h: int = 4) -> np.ndarray:
    """A small RGBA image with distinct pixels and varied alpha: (h, w, 4) uint8."""
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 40, y * 60, (x + y) * 20, 255 - x * 10], axis=-1).astype(np.uint8)


def png_bytes(arr: np.ndarray, mode: str | None = None, **save) -> bytes:
    buf = io.BytesIO()
    img = PILImage.fromarray(arr)
    if mode:
        img = img.convert(mode)
    img.save(buf, format=save.pop("format", "PNG"), **save)
    return buf.getvalue()


def upload(store: FileStore, data: bytes, name: str = "up.png", mime: str = "image/png") -> dict:
    """What an upload from the page leaves: a FileData of this session's store."""
    return store.add_bytes(data, name, mime)


def read_back(fd: dict) -> PILImage.Image:
    img = PILImage.open(files.resolve(fd))
    img.load()
    return img


def exif_rotated_jpeg(w: int = 40, h: int = 20, orientation: int = 6) -> bytes:
    """A w x h JPEG whose EXIF says: rotate 90 degrees clockwise to show it."""
    img = PILImage.new("RGB", (w, h), (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, w // 4, h))  # a blue band on the left
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes(), quality=95)
    return buf.getvalue()


IMAGE_INPUTS = [
    pytest.param(lambda **kw: gr.Image(**kw), id="Image"),
    pytest.param(lambda **kw: gr.Sketchpad(**kw), id="Sketchpad"),
    pytest.param(lambda **kw: gr.ImageEditor(**kw), id="ImageEditor"),
]


# -- preprocess: what fn receives ----------------------------------------------------------


@pytest.mark.parametrize("make", IMAGE_INPUTS)
@pytest.mark.parametrize("mode,shape", [("RGB", (4, 6, 3)), ("RGBA", (4, 6, 4)), ("L", (4, 6))])
def test_numpy_input_per_image_mode(store, make, mode, shape):
    arr = rgba_pixels()
    fd = upload(store, png_bytes(arr))
    got = make(type="numpy", image_mode=mode).preprocess(fd)
    assert isinstance(got, np.ndarray) and got.dtype == np.uint8 and got.shape == shape
    expected = np.array(PILImage.fromarray(arr).convert(mode))
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("make", IMAGE_INPUTS)
@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_pil_input_per_image_mode(store, make, mode):
    arr = rgba_pixels()
    fd = upload(store, png_bytes(arr))
    got = make(type="pil", image_mode=mode).preprocess(fd)
    assert isinstance(got, PILImage.Image)
    assert got.mode == mode and got.size == (6, 4)
    assert np.array_equal(np.array(got), np.array(PILImage.fromarray(arr).convert(mode)))


@pytest.mark.parametrize("make", IMAGE_INPUTS)
@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_filepath_input_per_image_mode(store, make, mode):
    arr = rgba_pixels()
    fd = upload(store, png_bytes(arr))
    got = make(type="filepath", image_mode=mode).preprocess(fd)
    assert isinstance(got, str) and Path(got).is_file()
    with PILImage.open(got) as img:
        assert img.mode == mode and img.size == (6, 4)
        assert np.array_equal(np.array(img), np.array(PILImage.fromarray(arr).convert(mode)))
    # a path of this session's store (served only to it), never a path the client named
    assert Path(got).resolve().is_relative_to(store.dir.resolve())


def test_filepath_input_in_the_files_mode_is_the_upload_itself(store):
    fd = upload(store, png_bytes(rgba_pixels()[..., :3]))
    assert gr.Image(type="filepath").preprocess(fd) == str(files.resolve(fd))


def test_image_mode_none_keeps_the_files_mode(store):
    fd = upload(store, png_bytes(rgba_pixels(), mode="LA"))
    assert gr.Image(type="pil", image_mode=None).preprocess(fd).mode == "LA"
    assert gr.Image(type="numpy", image_mode=None).preprocess(fd).shape == (4, 6, 2)


def test_empty_input_gives_none(store):
    for comp in (gr.Image(), gr.Sketchpad(), gr.ImageEditor(), gr.Gallery()):
        assert comp.preprocess(None) is None


def test_photo_from_tests_data_decodes_at_full_size(store):
    fd = upload(store, PHOTO.read_bytes(), "photo.png")
    arr = gr.Image().preprocess(fd)
    assert arr.shape == (1200, 1600, 3) and arr.dtype == np.uint8


# -- EXIF rotation ----------------------------------------------------------------------


@pytest.mark.parametrize("make", IMAGE_INPUTS)
def test_exif_rotation_is_applied_for_numpy_and_pil(store, make):
    fd = upload(store, exif_rotated_jpeg(), "phone.jpg", "image/jpeg")
    arr = make(type="numpy", image_mode="RGB").preprocess(fd)
    assert arr.shape == (40, 20, 3)  # 40 x 20 stored, shown 20 wide x 40 high
    # rotated clockwise: the blue band that was on the left is now at the top
    assert arr[2, 10, 2] > 150 and arr[2, 10, 0] < 100
    assert arr[-2, 10, 0] > 150 and arr[-2, 10, 2] < 100
    img = make(type="pil", image_mode="RGB").preprocess(fd)
    assert img.size == (20, 40)


def test_exif_rotation_is_applied_for_filepath(store):
    fd = upload(store, exif_rotated_jpeg(), "phone.jpg", "image/jpeg")
    path = gr.Image(type="filepath").preprocess(fd)
    assert path != str(files.resolve(fd)), "a rotated copy, not the unrotated upload"
    with PILImage.open(path) as img:
        assert img.size == (20, 40)
        assert not img.getexif().get(0x0112)


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("make", IMAGE_INPUTS)
@pytest.mark.parametrize("type_", ["numpy", "pil", "filepath"])
def test_a_non_image_upload_is_a_user_error(store, make, type_):
    fd = upload(store, b"%PDF-1.4 not an image at all", "report.pdf", "application/pdf")
    with pytest.raises(gr.Error, match="report.pdf is not an image") as info:
        make(type=type_).preprocess(fd)
    assert str(store.dir) not in info.value.message, "the server's paths stay on the server"


def test_a_truncated_image_is_a_user_error(store):
    fd = upload(store, png_bytes(rgba_pixels(64, 64))[:80], "cut.png")
    with pytest.raises(gr.Error, match="not an image"):
        gr.Image().preprocess(fd)


@pytest.mark.parametrize("make", IMAGE_INPUTS)
def test_unknown_file_id_is_rejected(store, make):
    comp = make(label="Pic")
    forged = {"_file": True, "id": "not-a-real-id", "orig_name": "x.png", "mime_type": "image/png", "size": 3}
    with pytest.raises(ValueError, match="not part of this session"):
        comp.validate_wire(forged)
    with pytest.raises(gr.Error, match="Pic: that file is not part of this session"):
        comp.preprocess(forged)


def test_another_sessions_file_is_rejected(store):
    other = FileStore()
    try:
        fd = other.add_bytes(png_bytes(rgba_pixels()), "theirs.png", "image/png")
        with pytest.raises(ValueError, match="not part of this session"):
            gr.Image().validate_wire(fd)
        with pytest.raises(gr.Error):
            gr.Sketchpad().preprocess(fd)
        with pytest.raises(ValueError, match="not part of this session"):
            gr.Gallery().validate_wire([{"image": fd, "caption": None}])
    finally:
        other.close()


@pytest.mark.parametrize("bad", ["../../etc/passwd", {"path": "/etc/passwd"}, {"_file": True},
                                 {"_file": True, "id": "x" * 65}, 3, [1]])
@pytest.mark.parametrize("make", IMAGE_INPUTS)
def test_validate_wire_rejects_what_is_not_a_file_data(store, make, bad):
    with pytest.raises(ValueError):
        make().validate_wire(bad)


@pytest.mark.parametrize("make", IMAGE_INPUTS)
def test_validate_wire_keeps_only_file_data_keys(store, make):
    fd = upload(store, png_bytes(rgba_pixels()))
    sent = {**fd, "url": "/file/elsewhere", "path": "/etc/passwd", "data": b"x"}
    assert make().validate_wire(sent) == fd
    assert make().validate_wire(None) is None


# -- postprocess: what fn may return -------------------------------------------------------


IMAGE_OUTPUTS = [
    pytest.param(lambda **kw: gr.Image(**kw), id="Image"),
    pytest.param(lambda **kw: gr.Sketchpad(**kw), id="Sketchpad"),
]


@pytest.mark.parametrize("make", IMAGE_OUTPUTS)
@pytest.mark.parametrize("shape,mode", [((4, 6), "L"), ((4, 6, 3), "RGB"), ((4, 6, 4), "RGBA")])
def test_numpy_uint8_output_round_trips_exactly_as_png(store, make, shape, mode):
    arr = rgba_pixels()
    arr = arr[..., 0] if len(shape) == 2 else arr[..., : shape[2]]
    fd = make(format="png").postprocess(arr)
    assert files.is_file_data(fd) and fd["mime_type"] == "image/png" and fd["orig_name"].endswith(".png")
    img = read_back(fd)
    assert img.mode == mode and np.array_equal(np.array(img), arr)


@pytest.mark.parametrize("make", IMAGE_OUTPUTS)
def test_numpy_float_output_in_0_1_is_scaled_to_uint8(store, make):
    arr = np.array([[0.0, 0.5, 1.0], [0.25, 0.75, 1.0]], dtype=np.float32)
    rgb = np.stack([arr, arr[::-1], np.ones_like(arr)], axis=-1)
    fd = make(format="png").postprocess(rgb)
    got = np.array(read_back(fd))
    assert got.dtype == np.uint8 and got.shape == (2, 3, 3)
    assert np.array_equal(got, np.round(rgb * 255).astype(np.uint8))


def test_float_output_above_1_is_taken_as_0_255_and_clipped(store):
    fd = gr.Image(format="png").postprocess(np.array([[0.0, 100.0, 300.0]]))
    assert np.array(read_back(fd)).tolist() == [[0, 100, 255]]


def test_other_integer_dtypes_and_bool_are_converted(store):
    fd = gr.Image(format="png").postprocess(np.array([[-5, 7, 999]], dtype=np.int64))
    assert np.array(read_back(fd)).tolist() == [[0, 7, 255]]
    fd = gr.Image(format="png").postprocess(np.array([[True, False]]))
    assert np.array(read_back(fd)).tolist() == [[255, 0]]


@pytest.mark.parametrize("make", IMAGE_OUTPUTS)
@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_pil_output(store, make, mode):
    img = PILImage.fromarray(rgba_pixels()).convert(mode)
    fd = make(format="png").postprocess(img)
    got = read_back(fd)
    assert got.mode == mode and np.array_equal(np.array(got), np.array(img))


@pytest.mark.parametrize("make", IMAGE_OUTPUTS)
def test_path_output_is_sent_as_that_file(store, make, tmp_path):
    src = tmp_path / "made.jpg"
    src.write_bytes(exif_rotated_jpeg())
    fd = make(format="png").postprocess(str(src))
    assert fd["orig_name"] == "made.jpg" and fd["mime_type"] == "image/jpeg"
    assert files.resolve(fd).read_bytes() == src.read_bytes()  # as is, not re-encoded
    fd2 = make().postprocess(src)  # a Path works too
    assert files.resolve(fd2).read_bytes() == src.read_bytes()


@pytest.mark.parametrize("make", IMAGE_OUTPUTS)
def test_missing_path_output_is_a_user_error(store, make, tmp_path):
    with pytest.raises(gr.Error, match="no such image file"):
        make().postprocess(str(tmp_path / "nope.png"))


@pytest.mark.parametrize("fmt,mime,pil_format", [("png", "image/png", "PNG"),
                                                 ("webp", "image/webp", "WEBP"),
                                                 ("jpeg", "image/jpeg", "JPEG"),
                                                 ("jpg", "image/jpeg", "JPEG")])
@pytest.mark.parametrize("make", IMAGE_OUTPUTS)
def test_output_formats(store, make, fmt, mime, pil_format):
    arr = np.zeros((32, 48, 3), np.uint8)
    arr[:, :24] = (220, 40, 40)
    arr[:, 24:] = (40, 40, 220)
    fd = make(format=fmt).postprocess(arr)
    assert fd["mime_type"] == mime
    img = read_back(fd)
    assert img.format == pil_format and img.size == (48, 32)
    got = np.array(img.convert("RGB")).astype(int)
    tolerance = 0 if fmt == "png" else 12  # webp and jpeg are lossy
    assert np.abs(got[8:24, 4:18] - (220, 40, 40)).max() <= tolerance
    assert np.abs(got[8:24, 30:44] - (40, 40, 220)).max() <= tolerance


def test_jpeg_output_of_rgba_drops_alpha(store):
    fd = gr.Image(format="jpeg").postprocess(rgba_pixels(16, 16))
    assert read_back(fd).mode == "RGB"


def test_default_output_format_is_webp_as_in_gradio(store):
    assert gr.Image().postprocess(rgba_pixels())["mime_type"] == "image/webp"
    assert gr.Sketchpad().postprocess(rgba_pixels())["mime_type"] == "image/webp"
    assert gr.Gallery().postprocess([rgba_pixels()])[0]["image"]["mime_type"] == "image/webp"


@pytest.mark.parametrize("bad_shape", [(4,), (4, 6, 2), (4, 6, 5), (2, 3, 4, 5)])
def test_output_array_of_another_shape_is_refused(store, bad_shape):
    with pytest.raises(ValueError, match=r"expected an image array"):
        gr.Image().postprocess(np.zeros(bad_shape, np.uint8))


def test_none_output_clears(store):
    assert gr.Image().postprocess(None) is None
    assert gr.Sketchpad().postprocess(None) is None
    assert gr.Gallery().postprocess(None) is None


def test_output_files_go_to_the_current_sessions_store(store):
    fd = gr.Image(format="png").postprocess(rgba_pixels())
    assert store.get(fd["id"]) is not None


def test_round_trip_output_then_input(store):
    """What one event outputs, the next can take as its input (the value stays a FileData)."""
    arr = rgba_pixels()[..., :3]
    fd = gr.Image(format="png").postprocess(arr)
    assert np.array_equal(gr.Image().preprocess(gr.Image().validate_wire(fd)), arr)


# -- Sketchpad specifics ---------------------------------------------------------------------


def test_sketchpad_defaults_follow_gradio():
    s = gr.Sketchpad()
    assert s.type == "numpy" and s.image_mode == "RGBA" and s.format == "webp"
    assert s.canvas_size == [800, 800] and s.sources == []
    assert s.canvas_color == "#ffffff"
    assert s.brush["default_size"] == "auto" and s.brush["color_mode"] == "defaults"
    assert gr.ImageEditor().sources == ["upload", "clipboard"]
    assert isinstance(gr.ImageEditor(), gr.Sketchpad)


def test_sketchpad_composite_of_a_drawing_as_digit_input(store):
    """A canvas PNG as the page uploads it (opaque, white paper, black ink) → an "L" array."""
    canvas = np.full((280, 280, 4), 255, np.uint8)
    canvas[40:240, 130:150, :3] = 0
    fd = upload(store, png_bytes(canvas), "sketch.png")
    got = gr.Sketchpad(image_mode="L").preprocess(fd)
    assert got.shape == (280, 280) and got.dtype == np.uint8
    assert got[100, 140] == 0 and got[100, 20] == 255


def test_sketchpad_accepts_a_gradio_editor_value_and_shows_its_composite(store):
    arr = rgba_pixels()
    bg = np.zeros_like(arr)
    fd = gr.Sketchpad(format="png").postprocess({"background": bg, "layers": [], "composite": arr})
    assert np.array_equal(np.array(read_back(fd)), arr)
    fd = gr.Sketchpad(format="png").postprocess({"background": bg, "layers": [], "composite": None})
    assert np.array_equal(np.array(read_back(fd)), bg)


def test_sketchpad_initial_value_is_an_app_file():
    s = gr.Sketchpad(rgba_pixels(), format="png")
    assert files.app_store().get(s.value["id"]) is not None


def test_brush_options():
    b = gr.Brush(default_size=12, colors=["#000", ("#ff0000", 0.5), "rgb(1, 2, 3)"], color_mode="fixed")
    assert b.to_dict() == {"default_size": 12, "colors": ["#000", "rgba(255, 0, 0, 0.5)", "rgb(1, 2, 3)"],
                           "default_color": "#000", "color_mode": "fixed"}
    assert gr.Brush(colors=["#123456"], default_color="#abcdef").default_color == "#abcdef"
    s = gr.Sketchpad(brush=b, canvas_size=(280, 200), canvas_color=None)
    assert s.brush["default_size"] == 12 and s.canvas_size == [280, 200] and s.canvas_color is None


@pytest.mark.parametrize("kw", [{"default_size": 0}, {"default_size": -3}, {"default_size": 2.5},
                                {"default_size": True}, {"colors": [3]}, {"colors": [("red", 2)]},
                                {"color_mode": "free"}])
def test_brush_rejects_bad_options(kw):
    with pytest.raises(ValueError, match="Brush"):
        gr.Brush(**kw)


@pytest.mark.parametrize("size", [(0, 10), (10,), "big", (10, 9000), None])
def test_sketchpad_rejects_bad_canvas_size(size):
    with pytest.raises(ValueError, match="canvas_size"):
        gr.Sketchpad(canvas_size=size)


def test_sketchpad_rejects_a_brush_that_is_not_a_brush():
    with pytest.raises(ValueError, match="gr.Brush"):
        gr.Sketchpad(brush={"default_size": 3})


def test_sketchpad_ignores_a_webcam_source():
    assert gr.ImageEditor(sources=["upload", "webcam"]).sources == ["upload"]
    assert gr.Sketchpad(sources="clipboard").sources == ["clipboard"]


def test_string_shortcuts():
    from nbdemo.components import from_shortcut

    assert isinstance(from_shortcut("sketchpad"), gr.Sketchpad)
    assert isinstance(from_shortcut("imageeditor"), gr.ImageEditor)
    assert isinstance(from_shortcut("gallery"), gr.Gallery)


# -- Gallery ---------------------------------------------------------------------------------


def test_gallery_output_of_mixed_items(store, tmp_path):
    path = tmp_path / "c.png"
    path.write_bytes(png_bytes(rgba_pixels()))
    arr = rgba_pixels()[..., :3]
    pil = PILImage.fromarray(rgba_pixels()).convert("L")
    floats = np.full((2, 2), 0.5)
    wire = gr.Gallery(format="png").postprocess([arr, (pil, "gray"), [str(path), "from disk"],
                                                 (floats, None), (path, 7)])
    assert [w["caption"] for w in wire] == [None, "gray", "from disk", None, "7"]
    assert all(files.is_file_data(w["image"]) for w in wire)
    assert np.array_equal(np.array(read_back(wire[0]["image"])), arr)
    assert np.array_equal(np.array(read_back(wire[1]["image"])), np.array(pil))
    assert files.resolve(wire[2]["image"]).read_bytes() == path.read_bytes()
    assert np.array(read_back(wire[3]["image"])).tolist() == [[128, 128], [128, 128]]


def test_gallery_output_accepts_its_own_wire_items(store):
    wire = gr.Gallery(format="png").postprocess([(rgba_pixels(), "a")])
    assert gr.Gallery().postprocess(wire) == wire


def test_gallery_output_of_a_single_image_is_refused(store):
    with pytest.raises(ValueError, match="list of images"):
        gr.Gallery().postprocess(rgba_pixels())
    with pytest.raises(ValueError, match="list of images"):
        gr.Gallery().postprocess("one.png")


def test_gallery_output_item_without_image_is_refused(store):
    with pytest.raises(ValueError, match="item 1 has no image"):
        gr.Gallery().postprocess([rgba_pixels(), (None, "nothing")])


def test_gallery_empty_list_is_empty(store):
    g = gr.Gallery()
    assert g.postprocess([]) == []
    assert g.preprocess([]) is None


@pytest.mark.parametrize("type_", ["filepath", "pil", "numpy"])
def test_gallery_input_gives_image_caption_tuples(store, type_):
    a = rgba_pixels()[..., :3]
    b = rgba_pixels()
    payload = [{"image": upload(store, png_bytes(a), "a.png"), "caption": "first"},
               {"image": upload(store, png_bytes(b), "b.png"), "caption": None}]
    g = gr.Gallery(type=type_)
    got = g.preprocess(g.validate_wire(payload))
    assert [c for _, c in got] == ["first", None]
    assert all(isinstance(item, tuple) and len(item) == 2 for item in got)
    first, second = got[0][0], got[1][0]
    if type_ == "filepath":
        assert first == str(files.resolve(payload[0]["image"]))
        assert np.array_equal(np.array(PILImage.open(first)), a)
    elif type_ == "pil":
        assert isinstance(first, PILImage.Image) and first.mode == "RGB" and second.mode == "RGBA"
        assert np.array_equal(np.array(second), b)
    else:
        assert first.shape == (4, 6, 3) and second.shape == (4, 6, 4) and first.dtype == np.uint8
        assert np.array_equal(first, a) and np.array_equal(second, b)


def test_gallery_input_of_a_non_image_is_a_user_error(store):
    payload = [{"image": upload(store, b"plain text", "notes.txt", "text/plain"), "caption": None}]
    with pytest.raises(gr.Error, match="notes.txt is not an image"):
        gr.Gallery(type="numpy").preprocess(payload)


@pytest.mark.parametrize("bad", [{"image": None}, "a", [3], [{"caption": "no image"}],
                                 [{"image": None, "caption": "x"}]])
def test_gallery_validate_wire_rejects_bad_shapes(store, bad):
    with pytest.raises(ValueError, match="Gallery"):
        gr.Gallery().validate_wire(bad)


def test_gallery_validate_wire_rejects_a_non_string_caption(store):
    fd = upload(store, png_bytes(rgba_pixels()))
    with pytest.raises(ValueError, match="caption"):
        gr.Gallery().validate_wire([{"image": fd, "caption": {"html": 1}}])


def test_gallery_validate_wire_strips_extra_keys(store):
    fd = upload(store, png_bytes(rgba_pixels()))
    got = gr.Gallery().validate_wire([{"image": {**fd, "url": "/x", "data": b"1"}, "caption": "c", "extra": 1}])
    assert got == [{"image": fd, "caption": "c"}]


def test_gallery_options():
    g = gr.Gallery(columns=(2, 3, 4), rows=2, height=300, object_fit="contain", allow_preview=False,
                   preview=True, selected_index=1)
    assert g.columns == [2, 3, 4] and g.rows == 2 and g.height == 300 and g.object_fit == "contain"
    assert g.allow_preview is False and g.preview is True and g.selected_index == 1
    assert g.type == "filepath" and gr.Gallery().columns == 2
    with pytest.raises(Exception, match="object_fit"):
        gr.Gallery(object_fit="stretch")


def test_gallery_select_data():
    from nbdemo.events import SelectData

    g = gr.Gallery()
    evt = SelectData(g, {"index": 3, "value": {"image": {"_file": True, "id": "x"}, "caption": "c"},
                         "selected": True})
    assert evt.index == 3 and evt.value["caption"] == "c" and evt.selected


def test_load_image_direct_use(store):
    fd = upload(store, png_bytes(rgba_pixels()))
    assert load_image(fd, type="numpy", image_mode="L", label="x").shape == (4, 6)
