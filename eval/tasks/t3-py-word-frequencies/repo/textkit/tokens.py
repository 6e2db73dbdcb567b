"""Splitting text into words."""
import re

WORD = re.compile(r"[a-z']+")


def tokenize(text):
    """Lower-cased words of `text`; punctuation and digits are dropped."""
    lowered = text.lower()
    return WORD.findall(text)
