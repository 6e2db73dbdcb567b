import unittest

from history import History


class HistoryTest(unittest.TestCase):
    def test_latest(self):
        history = History()
        history.add("ls")
        history.add("git status")
        self.assertEqual(history.latest(), "git status")

    def test_limit_drops_oldest(self):
        history = History(limit=2)
        for command in ["a", "b", "c"]:
            history.add(command)
        self.assertEqual(history.items, ["b", "c"])

    def test_search_newest_first(self):
        history = History()
        for command in ["git add .", "ls", "git commit"]:
            history.add(command)
        self.assertEqual(history.search("git"), ["git commit", "git add ."])


if __name__ == "__main__":
    unittest.main()
