"""Savings accounts."""
from bank.rates import compound, monthly_rate


class SavingsAccount:
    def __init__(self, owner, balance=0.0, annual_percent=3.0):
        self.owner = owner
        self.balance = balance
        self.annual_percent = annual_percent

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount

    def projected(self, months):
        """Balance after `months` months of monthly compounding, rounded to cents."""
        return round(compound(self.balance, monthly_rate(self.annual_percent), months), 2)
