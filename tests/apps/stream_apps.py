"""Streaming test demo: a webcam streamed through an identity function (and one
that describes each frame), a slow one that must drop frames, a short time
limit, and a microphone. Run as a script: ``python stream_apps.py PORT``."""

import sys
import time

import numpy as np

import nbdemo as gr


def describe(frame):
    return f"{frame.shape} {frame.dtype}"


def slow(frame, n):
    time.sleep(0.5)
    return (n or 0) + 1


def loudness(chunk):
    rate, samples = chunk
    return f"{rate} Hz, {len(samples)} samples, peak {int(np.abs(samples).max())}"


def broken(frame):
    raise gr.Error("the model is not loaded")


def tones():
    for freq in (440, 550, 660):
        t = np.arange(4800) / 16000
        yield 16000, (np.sin(2 * np.pi * freq * t) * 0.3).astype(np.float32)


with gr.Blocks() as demo:
    with gr.Row():
        cam = gr.Image(label="Camera", sources=["webcam"], streaming=True)
        out = gr.Image(label="Output", elem_id="out", streaming=True)
    shape = gr.Textbox(label="Frame")
    cam.stream(lambda f: f, cam, out, stream_every=0.1, concurrency_limit=30)
    cam.stream(describe, cam, shape, stream_every=0.1)
    with gr.Row():
        slow_cam = gr.Image(label="Slow camera", sources=["webcam"], webcam_options=gr.WebcamOptions(mirror=False))
        done = gr.Number(label="Frames processed", value=0)
    slow_cam.stream(slow, [slow_cam, done], done, stream_every=0.05)
    short_cam = gr.Image(label="Short camera", sources=["webcam"])
    short_out = gr.Textbox(label="Short frame")
    short_cam.stream(describe, short_cam, short_out, stream_every=0.2, time_limit=3)
    # fn writes back to the camera itself (as detectors drawing boxes do)
    self_cam = gr.Image(label="Self camera", sources=["webcam"], streaming=True)
    self_cam.stream(lambda f: 255 - f, self_cam, self_cam, stream_every=0.2)
    broken_cam = gr.Image(label="Broken camera", sources=["webcam"])
    broken_cam.stream(broken, broken_cam, None, stream_every=0.05)
    mic = gr.Audio(label="Microphone", sources=["microphone"], streaming=True)
    heard = gr.Textbox(label="Heard")
    mic.stream(loudness, mic, heard, stream_every=0.3)

    # a generator's chunks, played back to back
    play = gr.Button("Play tones")
    speaker = gr.Audio(label="Speaker", streaming=True, autoplay=True)
    play.click(tones, None, speaker)

if __name__ == "__main__":
    demo.launch(server_port=int(sys.argv[1]))
