"""Filtering user records (dicts with name, age, active)."""


def only_active(users):
    """Users whose account is active."""
    return [user for user in users if user["active"]]


def adults(users, min_age=18):
    """Users at least `min_age` years old."""
    return [user for user in users if user["age"] >= min_age]


def names(users):
    """Sorted names of the users."""
    return sorted(user["name"] for user in users)
