import unittest

from textkit.summary import summary, top_words

TEXT = "The cat and the hat. The cat sat on a mat! Cats sat."


class SummaryTest(unittest.TestCase):
    def test_top_words(self):
        self.assertEqual(top_words(TEXT), ["the", "cat", "sat"])

    def test_summary(self):
        self.assertEqual(summary("Owls hoot. owls fly."), "top words: owls, fly, hoot")

    def test_empty(self):
        self.assertEqual(top_words(""), [])


if __name__ == "__main__":
    unittest.main()
