"""Human-friendly durations."""
import re

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
PART = re.compile(r"\s*(\d+)([a-z])")


def parse_duration(text):
    """Parses a duration such as "1h30m" into whole seconds; ValueError when malformed."""
    rest = text.strip().lower()
    if not rest:
        raise ValueError("empty duration")
    order = list(UNITS)
    last = -1
    total = 0
    pos = 0
    while pos < len(rest):
        match = PART.match(rest, pos)
        if not match or match.group(2) not in UNITS:
            raise ValueError(f"bad duration: {text!r}")
        index = order.index(match.group(2))
        if index <= last:
            raise ValueError(f"repeated or out-of-order unit in {text!r}")
        last = index
        total += int(match.group(1)) * UNITS[match.group(2)]
        pos = match.end()
    return total


def format_duration(seconds):
    """The shortest form parse_duration reads back: 5400 → "1h30m", 0 → "0s"."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
