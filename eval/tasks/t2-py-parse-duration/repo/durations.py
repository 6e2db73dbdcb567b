"""Human-friendly durations."""

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(text):
    """Parses a duration such as "1h30m", "45s", "2d 4h" or "90m" into whole seconds (an int).

    A duration is one or more <integer><unit> parts, units from UNITS (d, h, m, s), each unit at most
    once and in that order (days first). Spaces between parts are allowed; surrounding whitespace is
    ignored; units are case-insensitive. Anything else (empty text, a number without a unit, an unknown
    unit, a repeated or out-of-order unit) raises ValueError.
    """
    raise NotImplementedError


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
