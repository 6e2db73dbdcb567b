import unittest

from chunks import chunk, last, windows


class ChunksTest(unittest.TestCase):
    def test_chunk(self):
        self.assertEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])

    def test_windows(self):
        self.assertEqual(windows([1, 2, 3, 4], 2), [[1, 2], [2, 3], [3, 4]])
        self.assertEqual(windows([1, 2, 3], 3), [[1, 2, 3]])

    def test_last(self):
        self.assertEqual(last([1, 2, 3], 2), [2, 3])
        self.assertEqual(last([1, 2, 3], 0), [])


if __name__ == "__main__":
    unittest.main()
