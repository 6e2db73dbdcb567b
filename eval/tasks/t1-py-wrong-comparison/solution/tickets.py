"""Cinema ticket prices."""

ADULT = 12.0


def category(age):
    """"child" under 12, "senior" from 65, otherwise "adult"."""
    if age < 12:
        return "child"
    if age >= 65:
        return "senior"
    return "adult"


def price(age):
    """Children pay half, seniors pay 70%."""
    factor = {"child": 0.5, "senior": 0.7, "adult": 1.0}[category(age)]
    return round(ADULT * factor, 2)


def group_price(ages):
    return round(sum(price(age) for age in ages), 2)
