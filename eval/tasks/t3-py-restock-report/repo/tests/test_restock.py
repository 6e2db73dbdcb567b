import unittest

from stock.restock import report, shortfall
from stock.store import Store

STORE = Store({"A1": {"name": "lamp", "qty": 5}, "B2": {"name": "desk", "qty": 1}})


class RestockTest(unittest.TestCase):
    def test_enough_stock(self):
        self.assertEqual(report(STORE, [("A1", 2), ("B2", 1)]), "nothing to order")

    def test_shortfall(self):
        self.assertEqual(shortfall(STORE, [("A1", 4), ("A1", 3)]), {"A1": 2})

    def test_unknown_product(self):
        self.assertEqual(report(STORE, [("C3", 2), ("B2", 3)]), "B2: order 2\nC3: order 2")


if __name__ == "__main__":
    unittest.main()
