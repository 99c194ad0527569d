import numpy as np

import nbdemo as gr

SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])


def apply_filter(image: np.ndarray, name: str, strength: float) -> np.ndarray:
    """image: (H, W, 3) uint8 RGB → the filtered image, (H, W, 3) uint8."""
    if image is None:
        raise gr.Error("Upload an image first.")
    img = image.astype(np.float32)
    if name == "sepia":
        out = img @ SEPIA.T
    elif name == "grayscale":
        out = np.repeat((img @ np.array([0.299, 0.587, 0.114]))[..., None], 3, axis=2)
    elif name == "invert":
        out = 255.0 - img
    else:  # brighten
        out = img * 1.5
    out = img + (out - img) * strength
    return out.clip(0, 255).astype(np.uint8)


demo = gr.Interface(
    apply_filter,
    [gr.Image(label="Input image"), gr.Radio(["sepia", "grayscale", "invert", "brighten"], value="sepia", label="Filter"),
     gr.Slider(0, 1, value=1, step=0.1, label="Strength")],
    gr.Image(label="Filtered image", format="png"),
    title="Image filters",
    description="Upload a photo (click, drag and drop, or paste), pick a filter.",
)

if __name__ == "__main__":
    demo.launch()
