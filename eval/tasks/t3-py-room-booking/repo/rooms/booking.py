"""Room bookings."""
from rooms.intervals import overlaps, parse


class Conflict(Exception):
    pass


class Room:
    def __init__(self, name):
        self.name = name
        self.bookings = []

    def book(self, slot, who):
        """Books "HH:MM-HH:MM" for `who`; raises Conflict when it overlaps another booking."""
        interval = parse(slot)
        for other, owner in self.bookings:
            if overlaps(interval, other):
                raise Conflict(f"{self.name} is taken by {owner}")
        self.bookings.append((interval, who))

    def owners(self):
        return [who for _, who in sorted(self.bookings)]
