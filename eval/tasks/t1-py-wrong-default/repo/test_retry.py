import unittest

from retry import backoff_delays, capped, total_wait


class RetryTest(unittest.TestCase):
    def test_default_retries(self):
        self.assertEqual(backoff_delays(), [0.5, 1, 2])

    def test_custom(self):
        self.assertEqual(backoff_delays(retries=2, base=1, factor=3), [1, 3])

    def test_total_and_cap(self):
        self.assertEqual(total_wait([1, 2, 4]), 7)
        self.assertEqual(capped([1, 2, 4], 3), [1, 2, 3])


if __name__ == "__main__":
    unittest.main()
