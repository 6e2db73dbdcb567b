"""Retry schedules."""


def backoff_delays(retries=3, base=0.5, factor=2):
    """Delays in seconds before each retry: base, base*factor, base*factor**2, ..."""
    return [base * factor ** attempt for attempt in range(retries)]


def total_wait(delays):
    """Total seconds spent waiting."""
    return sum(delays)


def capped(delays, limit):
    """Each delay, at most `limit`."""
    return [min(delay, limit) for delay in delays]
