"""Price helpers for the checkout."""


def apply_discount(price, percent):
    """Price after taking `percent` (0-100) off."""
    return round(price * (1 + percent / 100), 2)


def add_tax(price, rate=0.2):
    """Price with tax at `rate` (a fraction) added."""
    return round(price * (1 + rate), 2)


def final_price(price, percent, rate=0.2):
    """Discount first, then tax."""
    return add_tax(apply_discount(price, percent), rate)
