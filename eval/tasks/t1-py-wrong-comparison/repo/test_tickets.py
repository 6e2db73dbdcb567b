import unittest

from tickets import category, group_price, price


class TicketsTest(unittest.TestCase):
    def test_categories(self):
        self.assertEqual(category(8), "child")
        self.assertEqual(category(30), "adult")
        self.assertEqual(category(80), "senior")

    def test_boundaries(self):
        self.assertEqual(category(12), "adult")
        self.assertEqual(category(65), "senior")

    def test_prices(self):
        self.assertEqual(price(10), 6.0)
        self.assertEqual(group_price([40, 65]), 20.4)


if __name__ == "__main__":
    unittest.main()
