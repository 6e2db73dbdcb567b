"""Word wrapping."""


def wrap(text, width):
    """Wraps `text` into lines of at most `width` characters and returns them as a list of strings.

    Words are separated by any whitespace (runs of spaces and newlines count as one separator); lines
    are filled greedily with as many words as fit, joined by single spaces. A word longer than `width`
    goes on a line of its own, unbroken. Empty or blank text gives []. Raises ValueError if width < 1.
    """
    raise NotImplementedError
