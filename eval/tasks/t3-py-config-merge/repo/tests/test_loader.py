import unittest

from settings.loader import load


class LoaderTest(unittest.TestCase):
    def test_no_user_settings(self):
        self.assertEqual(load("")["theme"], "light")

    def test_top_level_override(self):
        self.assertEqual(load('{"theme": "dark"}')["theme"], "dark")

    def test_nested_override_keeps_other_keys(self):
        settings = load('{"editor": {"tab_size": 2}}')
        self.assertEqual(settings["editor"], {"tab_size": 2, "wrap": False})


if __name__ == "__main__":
    unittest.main()
