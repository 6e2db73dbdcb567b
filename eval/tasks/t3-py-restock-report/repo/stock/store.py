"""The product store: SKU → {"name", "qty"}."""


class Store:
    def __init__(self, products):
        self.products = dict(products)

    def get(self, sku):
        """The product record, or None for an unknown SKU."""
        return self.products.get(sku)


def quantity(store, sku):
    """Units in stock for `sku`; 0 for unknown SKUs."""
    product = store.get(sku)
    return product["qty"]
