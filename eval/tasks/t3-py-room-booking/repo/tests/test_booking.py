import unittest

from rooms.booking import Conflict, Room


class BookingTest(unittest.TestCase):
    def test_overlapping_booking_is_refused(self):
        room = Room("Oak")
        room.book("09:00-10:00", "ann")
        with self.assertRaises(Conflict):
            room.book("09:30-10:30", "bob")

    def test_back_to_back_bookings(self):
        room = Room("Oak")
        room.book("09:00-10:00", "ann")
        room.book("10:00-11:00", "bob")
        room.book("08:00-09:00", "cid")
        self.assertEqual(room.owners(), ["cid", "ann", "bob"])


if __name__ == "__main__":
    unittest.main()
