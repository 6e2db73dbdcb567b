"""Splitting lists into pieces."""


def chunk(items, size):
    """Consecutive pieces of `size` items; the last one may be shorter."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def windows(items, size):
    """Every run of `size` consecutive items (a sliding window)."""
    return [items[i:i + size] for i in range(len(items) - size + 1)]


def last(items, n):
    """The last `n` items (all of them if there are fewer)."""
    return items[-n:] if n > 0 else []
