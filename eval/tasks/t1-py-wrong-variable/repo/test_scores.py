import unittest

from scores import above_average, average, ranking

SCORES = {"ann": 12, "bob": 30, "cid": 21}


class ScoresTest(unittest.TestCase):
    def test_ranking(self):
        self.assertEqual(ranking(SCORES), ["bob", "cid", "ann"])

    def test_average(self):
        self.assertEqual(average(SCORES), 21)
        self.assertEqual(average({}), 0)

    def test_above_average(self):
        self.assertEqual(above_average(SCORES), ["bob"])


if __name__ == "__main__":
    unittest.main()
