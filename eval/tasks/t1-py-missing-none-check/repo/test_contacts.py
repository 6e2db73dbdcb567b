import unittest

from contacts import domains, email_of, find

CONTACTS = [
    {"name": "Ann", "email": "ann@example.com"},
    {"name": "Bob", "email": "bob@mail.org"},
]


class ContactsTest(unittest.TestCase):
    def test_find(self):
        self.assertEqual(find(CONTACTS, "bob")["email"], "bob@mail.org")

    def test_email_of(self):
        self.assertEqual(email_of(CONTACTS, "ANN"), "ann@example.com")

    def test_email_of_unknown(self):
        self.assertIsNone(email_of(CONTACTS, "zed"))

    def test_domains(self):
        self.assertEqual(domains(CONTACTS), ["example.com", "mail.org"])


if __name__ == "__main__":
    unittest.main()
