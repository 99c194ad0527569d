"""A streaming chat: a tiny rule-based bot that answers word by word."""

import re
import time

import nbdemo as gr

#: seconds between streamed words (so the reply visibly streams in)
WORD_DELAY = 0.04

STORY = (
    "Once upon a time, in a notebook far away, a small function wanted to be seen. "
    "It could add numbers and reverse strings, but nobody could click it. "
    "One day a widget came along and said: *let me give you a face*. "
    "So the function got a text box, a button and a place to stream its thoughts, "
    "one word at a time, to anyone who opened the page. "
    "It answered questions, told stories and counted sheep, "
    "and every visitor had a conversation of their own. "
    "The end."
)

HELP = (
    "I am a tiny rule-based bot. Try:\n\n"
    "- **hello**: a greeting\n"
    "- **tell me a story**: a short story, streamed word by word\n"
    "- **count to 20**: counting (up to 1000; press *Stop* to interrupt)\n"
    "- anything else: I echo it back and say how long our conversation is"
)


def answer(message: str, history: list[dict]) -> str:
    """The whole reply to ``message`` (Markdown); ``history`` is the conversation so far."""
    text = message.strip()
    low = text.lower()
    count = re.search(r"count(?: to| up to)?\s+(\d+)", low)
    if count:
        n = min(int(count.group(1)), 1000)
        return "Counting: " + " ".join(str(i) for i in range(1, n + 1)) + "."
    if "story" in low:
        return STORY
    if re.search(r"\b(hello|hi|hey)\b", low):
        turns = sum(1 for m in history if m["role"] == "user")
        again = " again" if turns else ""
        return f"Hello{again}! I am a tiny bot that streams its answers. Ask me for **help** to see what I can do."
    if "help" in low or "what can you do" in low:
        return HELP
    turns = sum(1 for m in history if m["role"] == "user") + 1
    return f"You said: {text}\n\nThat is message number {turns} of this conversation."


def reply(message: str, history: list[dict]):
    """Stream the answer: each yield is the reply so far, one more word each time."""
    words = answer(message, history).split(" ")
    for i in range(1, len(words) + 1):
        time.sleep(WORD_DELAY)
        yield " ".join(words[:i])


demo = gr.ChatInterface(
    reply,
    type="messages",
    title="Streaming chat",
    description="A rule-based bot that streams its replies word by word. Your conversation is "
                "kept per browser session; **Stop** interrupts a reply and keeps what it said.",
    examples=["Hello!", "Tell me a story", "Count to 300", "What can you do?"],
    chatbot=gr.Chatbot(type="messages", label="Chat", height=420,
                       placeholder="**Say hello**, or pick an example below."),
)

if __name__ == "__main__":
    demo.launch()
