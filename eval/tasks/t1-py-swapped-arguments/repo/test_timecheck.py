import unittest

from timecheck import between, is_valid_hour, is_valid_time


class TimecheckTest(unittest.TestCase):
    def test_between(self):
        self.assertTrue(between(5, 1, 10))
        self.assertFalse(between(11, 1, 10))

    def test_hours(self):
        self.assertTrue(is_valid_hour(0))
        self.assertTrue(is_valid_hour(17))
        self.assertFalse(is_valid_hour(24))

    def test_times(self):
        self.assertTrue(is_valid_time("09:30"))
        self.assertFalse(is_valid_time("9h30"))
        self.assertFalse(is_valid_time("12:60"))


if __name__ == "__main__":
    unittest.main()
