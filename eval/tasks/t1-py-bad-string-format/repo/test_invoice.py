import unittest

from invoice import line, render, total


class InvoiceTest(unittest.TestCase):
    def test_line(self):
        self.assertEqual(line("apple", 3, 0.5), "3 x apple @ 0.50 = 1.50")

    def test_total(self):
        self.assertAlmostEqual(total([("a", 2, 1.25), ("b", 1, 3)]), 5.5)

    def test_render(self):
        text = render([("pear", 2, 1.2)])
        self.assertEqual(text, "2 x pear @ 1.20 = 2.40\nTOTAL 2.40")


if __name__ == "__main__":
    unittest.main()
