import unittest

from wrap import wrap


class WrapTest(unittest.TestCase):
    def test_empty(self):
        self.assertEqual(wrap("", 10), [])
        self.assertEqual(wrap("   \n ", 10), [])

    def test_fits_on_one_line(self):
        self.assertEqual(wrap("small owl", 20), ["small owl"])

    def test_greedy_fill(self):
        text = "the quick brown fox jumps over the lazy dog"
        self.assertEqual(wrap(text, 10), ["the quick", "brown fox", "jumps over", "the lazy", "dog"])

    def test_exact_width(self):
        self.assertEqual(wrap("abc def", 7), ["abc def"])
        self.assertEqual(wrap("abc def", 6), ["abc", "def"])

    def test_whitespace_runs(self):
        self.assertEqual(wrap("a  b\n\nc", 3), ["a b", "c"])

    def test_long_word(self):
        self.assertEqual(wrap("a verylongword b", 5), ["a", "verylongword", "b"])

    def test_bad_width(self):
        with self.assertRaises(ValueError):
            wrap("x", 0)


if __name__ == "__main__":
    unittest.main()
