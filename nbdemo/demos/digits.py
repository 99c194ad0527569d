"""Draw a digit; a classifier trained on scikit-learn's bundled digits answers.

The model is trained on first use (about a second), not at import, so the
gallery opens this page at once.
"""

from functools import cache

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

import nbdemo as gr

# 1797 8x8 images, intensities 0..16 (ink high, paper 0), bundled with scikit-learn.
digits = load_digits()


@cache
def model() -> LogisticRegression:
    """The classifier, trained on the first call (then kept)."""
    return LogisticRegression(max_iter=2000).fit(digits.data / 16.0, digits.target)


def to_digits_format(drawing: np.ndarray) -> np.ndarray | None:
    """(H, W) uint8, dark ink on white → (64,) floats in 0..16 like load_digits, or None if blank.

    The ink is cropped to its bounding box, centred in a square with a margin
    (load_digits' digits fill their 8x8 box with about a pixel to spare), and
    area-averaged down to 8x8.
    """
    ink = 255 - drawing.astype(np.int32)
    ys, xs = np.nonzero(ink > 40)
    if len(xs) == 0:
        return None
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    side = int(max(ink.shape) * 1.25) + 1
    square = np.zeros((side, side), np.uint8)
    y0, x0 = (side - ink.shape[0]) // 2, (side - ink.shape[1]) // 2
    square[y0:y0 + ink.shape[0], x0:x0 + ink.shape[1]] = ink
    small = np.asarray(Image.fromarray(square).resize((8, 8), Image.Resampling.BOX), np.float64)
    return small.ravel() * (16.0 / max(small.max(), 1.0))


def classify(drawing: np.ndarray) -> dict[str, float]:
    """drawing: (H, W) uint8 (image_mode "L") → the top classes with their probabilities."""
    features = None if drawing is None else to_digits_format(drawing)
    if features is None:
        return {}
    probs = model().predict_proba([features / 16.0])[0]
    return {str(d): float(p) for d, p in zip(model().classes_, probs)}


def sample_image(i: int) -> np.ndarray:
    """Training digit ``i`` as a (64, 64) uint8 image, dark ink on white."""
    return np.kron(255 - digits.images[i] * (255 / 16), np.ones((8, 8))).astype(np.uint8)


def explain_sample(evt: gr.SelectData) -> tuple[dict[str, float], str]:
    """A training digit was clicked: what the model says, and what it really is."""
    i = SAMPLES[evt.index]
    probs = model().predict_proba([digits.data[i] / 16.0])[0]
    return ({str(d): float(p) for d, p in zip(model().classes_, probs)},
            f"Training sample #{i} is a {digits.target[i]}.")


#: the first training sample of each class, shown in the gallery
SAMPLES = [int(np.argmax(digits.target == d)) for d in range(10)]

with gr.Blocks(title="Handwritten digits") as demo:
    gr.Markdown("# Handwritten digits\n\nDraw a digit from 0 to 9 with the mouse, a pen or a finger. "
                "A logistic regression trained on scikit-learn's bundled 8x8 digits "
                "guesses it. Or click a training digit below.")
    with gr.Row():
        pad = gr.Sketchpad(label="Draw a digit", image_mode="L", canvas_size=(280, 280),
                           brush=gr.Brush(default_size=22, colors=["#000000"], color_mode="fixed"))
        with gr.Column():
            prediction = gr.Label(label="Prediction", num_top_classes=3)
            about = gr.Textbox(label="Selected training digit", interactive=False)
    samples = gr.Gallery([(sample_image(i), f"a {digits.target[i]}") for i in SAMPLES],
                         label="Training digits", columns=10, format="png", allow_preview=False,
                         interactive=False)
    pad.change(classify, pad, prediction)
    samples.select(explain_sample, None, [prediction, about])

if __name__ == "__main__":
    demo.launch()
