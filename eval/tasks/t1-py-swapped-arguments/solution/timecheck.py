"""Validating "HH:MM" times."""


def between(value, low, high):
    """True when low <= value <= high."""
    return low <= value <= high


def is_valid_hour(hour):
    return between(hour, 0, 23)


def is_valid_minute(minute):
    return between(minute, 0, 59)


def is_valid_time(text):
    """True for "HH:MM" with a valid hour and minute."""
    parts = text.split(":")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return False
    return is_valid_hour(int(parts[0])) and is_valid_minute(int(parts[1]))
