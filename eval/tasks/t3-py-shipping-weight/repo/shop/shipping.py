"""Shipping prices by weight."""
from shop.order import total_weight

# (max grams, price) tiers, lightest first.
TIERS = [(500, 3.5), (2000, 6.0), (10000, 12.0)]


def shipping_cost(items):
    """Price of the lightest tier the order fits in; ValueError above the last tier."""
    weight = total_weight(items)
    for limit, price in TIERS:
        if weight <= limit:
            return price
    raise ValueError("too heavy to ship")
