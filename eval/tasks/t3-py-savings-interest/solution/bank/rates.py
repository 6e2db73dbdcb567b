"""Interest-rate arithmetic."""


def monthly_rate(annual_percent):
    """A yearly rate in percent as a monthly fraction: 6 → 0.005."""
    return annual_percent / 100 / 12


def compound(balance, rate, periods):
    """`balance` grown by `rate` (a fraction) per period over `periods` periods."""
    return balance * (1 + rate) ** periods
