"""Distance conversions."""

KM_PER_MILE = 1.609344
METERS_PER_KM = 1000


def miles_to_km(miles):
    return miles * KM_PER_MILE


def km_to_miles(km):
    return km / KM_PER_MILE


def pace_per_km(minutes, km):
    """Minutes per kilometre for a run of `km` kilometres in `minutes` minutes."""
    return minutes / km


def meters(km):
    return km * METERS_PER_KM
