import unittest

from discount import add_tax, apply_discount, final_price


class DiscountTest(unittest.TestCase):
    def test_apply_discount(self):
        self.assertEqual(apply_discount(200, 25), 150)
        self.assertEqual(apply_discount(80, 0), 80)

    def test_add_tax(self):
        self.assertEqual(add_tax(100), 120)

    def test_final_price(self):
        self.assertEqual(final_price(100, 10, 0.1), 99)


if __name__ == "__main__":
    unittest.main()
