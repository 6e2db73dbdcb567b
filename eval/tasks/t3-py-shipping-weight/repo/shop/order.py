"""Orders: lists of (name, quantity, unit) items."""
from shop.units import to_grams


def total_weight(items):
    """Total weight of the items in grams."""
    return sum(to_grams(quantity, unit) for _, quantity, unit in items)
