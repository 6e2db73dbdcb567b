import unittest

from durations import format_duration, parse_duration


class ParseDurationTest(unittest.TestCase):
    def test_single_units(self):
        self.assertEqual(parse_duration("45s"), 45)
        self.assertEqual(parse_duration("90m"), 5400)
        self.assertEqual(parse_duration("2d"), 172800)

    def test_combined(self):
        self.assertEqual(parse_duration("1h30m"), 5400)
        self.assertEqual(parse_duration("2d 4h"), 187200)
        self.assertEqual(parse_duration("1d2h3m4s"), 93784)

    def test_whitespace_and_case(self):
        self.assertEqual(parse_duration("  1H 5S "), 3605)

    def test_invalid(self):
        for text in ["", "10", "5x", "1h1h", "30m1h", "h", "1.5h", "-1m"]:
            with self.subTest(text=text):
                with self.assertRaises(ValueError):
                    parse_duration(text)

    def test_round_trip(self):
        for seconds in [0, 59, 3600, 93784]:
            self.assertEqual(parse_duration(format_duration(seconds)), seconds)


if __name__ == "__main__":
    unittest.main()
