import unittest

from filters import adults, names, only_active

USERS = [
    {"name": "ann", "age": 34, "active": True},
    {"name": "bob", "age": 15, "active": True},
    {"name": "cid", "age": 52, "active": False},
]


class FiltersTest(unittest.TestCase):
    def test_only_active(self):
        self.assertEqual(names(only_active(USERS)), ["ann", "bob"])

    def test_adults(self):
        self.assertEqual(names(adults(USERS)), ["ann", "cid"])

    def test_active_adults(self):
        self.assertEqual(names(adults(only_active(USERS))), ["ann"])


if __name__ == "__main__":
    unittest.main()
