"""Word frequencies."""
from collections import Counter

from textkit.tokens import tokenize

STOP_WORDS = {"a", "an", "and", "of", "to"}


def frequencies(text, skip_stop_words=True):
    """Counter of the words of `text`."""
    words = tokenize(text)
    if skip_stop_words:
        words = [word for word in words if word not in STOP_WORDS]
    return Counter(words)
