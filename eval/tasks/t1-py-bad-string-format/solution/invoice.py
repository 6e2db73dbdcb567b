"""Plain-text invoices."""


def line(item, qty, unit_price):
    """One invoice line, e.g. "3 x apple @ 0.50 = 1.50"."""
    return f"{qty} x {item} @ {unit_price:.2f} = {qty * unit_price:.2f}"


def total(lines):
    """Sum of qty * unit_price over (item, qty, unit_price) tuples."""
    return sum(qty * price for _, qty, price in lines)


def render(lines):
    """All lines, then a total line."""
    body = [line(*entry) for entry in lines]
    body.append(f"TOTAL {total(lines):.2f}")
    return "\n".join(body)
