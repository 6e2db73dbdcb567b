"""One-line summaries of a text."""
from textkit.counter import frequencies


def top_words(text, n=3):
    """The `n` most common words, most common first, ties alphabetical."""
    counts = frequencies(text)
    return [word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def summary(text):
    return "top words: " + ", ".join(top_words(text))
