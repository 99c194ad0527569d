import hashlib
import tempfile
import zipfile
from pathlib import Path

import numpy as np

import nbdemo as gr

#: files this demo makes (zip archives); removed when the process exits
OUTPUT = tempfile.TemporaryDirectory(prefix="nbdemo-media-demo-")


def process_audio(audio: tuple[int, np.ndarray], effect: str, volume: float):
    """audio: (sample_rate, int16 samples (n,) or (n, channels)) → the processed clip and a summary."""
    if audio is None:
        raise gr.Error("Upload or record a clip first.")
    rate, data = audio
    if effect == "reverse":
        data = data[::-1]
    elif effect == "echo":
        delay = int(rate * 0.25)
        wet = data.astype(np.float32)
        if 0 < delay < len(data):
            wet[delay:] += 0.5 * data[:-delay]
        data = wet
    if volume != 1 or data.dtype != np.int16:
        data = np.clip(data.astype(np.float32) * volume / 32768, -1, 1)  # floats in [-1, 1]
    channels = 1 if data.ndim == 1 else data.shape[1]
    info = f"{len(data) / rate:.2f} s, {rate} Hz, {'mono' if channels == 1 else f'{channels} channels'}"
    return (rate, data), info


def describe_files(paths: list[str] | None):
    """paths: the uploaded files → a Markdown table and a zip of them all to download."""
    if not paths:
        return "No files.", gr.DownloadButton(value=None)
    rows = ["| File | Size | SHA-256 |", "|---|---:|---|"]
    archive = Path(tempfile.mkdtemp(dir=OUTPUT.name)) / "files.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for p in map(Path, paths):
            data = p.read_bytes()
            rows.append(f"| {p.name} | {len(data):,} bytes | `{hashlib.sha256(data).hexdigest()[:16]}` |")
            z.writestr(p.name, data)
    return "\n".join(rows), gr.DownloadButton(value=str(archive))


def text_stats(data: bytes) -> str:
    """data: the uploaded text file's bytes → line, word and character counts."""
    text = data.decode("utf-8", errors="replace")
    return f"{len(text.splitlines())} lines, {len(text.split())} words, {len(text)} characters"


def video_info(path: str | None):
    if path is None:
        return None, ""
    p = Path(path)
    return path, f"{p.name}: {p.stat().st_size:,} bytes"


with gr.Blocks(title="Audio, video and files") as demo:
    gr.Markdown("# Audio, video and files\nUpload or record a clip and change it; upload files "
                "and download them back as one zip. Bytes travel as bytes, never base64.")
    with gr.Row():
        with gr.Column():
            audio_in = gr.Audio(label="Input audio")
            effect = gr.Radio(["reverse", "echo", "none"], value="reverse", label="Effect")
            volume = gr.Slider(0, 4, value=1, step=0.5, label="Volume")
            process = gr.Button("Process audio", variant="primary")
        with gr.Column():
            audio_out = gr.Audio(label="Processed audio")
            audio_info = gr.Textbox(label="Clip info")
    process.click(process_audio, [audio_in, effect, volume], [audio_out, audio_info])

    with gr.Row():
        with gr.Column():
            files_in = gr.File(label="Files", file_count="multiple")
            download = gr.DownloadButton("Download all as .zip")
        details = gr.Markdown("No files.")
    files_in.change(describe_files, files_in, [details, download])

    with gr.Row():
        upload_text = gr.UploadButton("Upload a text file", file_types=["text", ".md", ".csv"], type="binary")
        stats = gr.Textbox(label="Text stats")
    upload_text.upload(text_stats, upload_text, stats)

    with gr.Row():
        video_in = gr.Video(label="Input video")
        with gr.Column():
            video_out = gr.Video(label="Same video, served back")
            video_meta = gr.Textbox(label="Video info")
    video_in.change(video_info, video_in, [video_out, video_meta])

if __name__ == "__main__":
    demo.launch()
