"""What to reorder."""
from stock.store import quantity


def shortfall(store, orders):
    """{sku: missing units} for the SKUs whose ordered units exceed the stock."""
    needed = {}
    for sku, units in orders:
        needed[sku] = needed.get(sku, 0) + units
    return {sku: units - quantity(store, sku) for sku, units in needed.items() if units > quantity(store, sku)}


def report(store, orders):
    lines = [f"{sku}: order {units}" for sku, units in sorted(shortfall(store, orders).items())]
    return "\n".join(lines) or "nothing to order"
