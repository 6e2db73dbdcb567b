import unittest

from bank.account import SavingsAccount


class SavingsAccountTest(unittest.TestCase):
    def test_deposit(self):
        account = SavingsAccount("ann")
        account.deposit(50)
        self.assertEqual(account.balance, 50)
        with self.assertRaises(ValueError):
            account.deposit(0)

    def test_one_month(self):
        self.assertEqual(SavingsAccount("ann", 1000, 6).projected(1), 1005.0)

    def test_one_year(self):
        self.assertEqual(SavingsAccount("ann", 1000, 6).projected(12), 1061.68)


if __name__ == "__main__":
    unittest.main()
