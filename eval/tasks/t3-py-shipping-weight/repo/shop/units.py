"""Weight units."""

GRAMS_PER = {"g": 1, "kg": 1000, "lb": 453.592}


def to_grams(quantity, unit):
    """`quantity` of `unit` ("g", "kg" or "lb") in grams."""
    if unit not in GRAMS_PER:
        raise ValueError(f"unknown unit: {unit}")
    return quantity / GRAMS_PER[unit]
