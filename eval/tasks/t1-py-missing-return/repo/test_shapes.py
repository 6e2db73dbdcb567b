import math
import unittest

from shapes import circle_area, circle_perimeter, rectangle_area, total_area


class ShapesTest(unittest.TestCase):
    def test_rectangle_area(self):
        self.assertEqual(rectangle_area(3, 4), 12)

    def test_circle_area(self):
        self.assertAlmostEqual(circle_area(2), 4 * math.pi)

    def test_circle_perimeter(self):
        self.assertAlmostEqual(circle_perimeter(1), 2 * math.pi)

    def test_total_area(self):
        self.assertAlmostEqual(total_area([("rect", 2, 5), ("circle", 1)]), 10 + math.pi)


if __name__ == "__main__":
    unittest.main()
