"""Half-open time intervals [start, end) in minutes since midnight."""
from collections import namedtuple

Interval = namedtuple("Interval", "start end")


def parse(text):
    """ "09:30-10:15" → Interval(570, 615)."""
    start, end = text.split("-")
    return Interval(_minutes(start), _minutes(end))


def _minutes(hhmm):
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def overlaps(a, b):
    """True when the two intervals share at least one minute."""
    return a.start < b.end and b.start < a.end
