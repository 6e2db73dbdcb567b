import unittest

from shop.shipping import shipping_cost


class ShippingTest(unittest.TestCase):
    def test_light_order(self):
        self.assertEqual(shipping_cost([("tea", 250, "g")]), 3.5)

    def test_kilograms(self):
        self.assertEqual(shipping_cost([("flour", 1.5, "kg")]), 6.0)
        self.assertEqual(shipping_cost([("rice", 5, "kg"), ("tea", 100, "g")]), 12.0)

    def test_too_heavy(self):
        with self.assertRaises(ValueError):
            shipping_cost([("sand", 25, "kg")])


if __name__ == "__main__":
    unittest.main()
