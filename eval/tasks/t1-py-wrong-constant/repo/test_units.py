import unittest

from units import km_to_miles, meters, miles_to_km, pace_per_km


class UnitsTest(unittest.TestCase):
    def test_miles_to_km(self):
        self.assertAlmostEqual(miles_to_km(10), 16.09344)

    def test_km_to_miles(self):
        self.assertAlmostEqual(km_to_miles(42.195), 26.2188, places=3)

    def test_pace_and_meters(self):
        self.assertEqual(pace_per_km(50, 10), 5)
        self.assertEqual(meters(1.5), 1500)


if __name__ == "__main__":
    unittest.main()
