"""Shell-style command history."""


class History:
    def __init__(self, limit=100):
        self.limit = limit
        self.items = []

    def add(self, command):
        """Records a command (the newest goes last); drops the oldest beyond the limit."""
        self.items.append(command)
        if len(self.items) > self.limit:
            self.items.pop(0)

    def latest(self):
        """The most recent command, or None."""
        return self.items[-1] if self.items else None

    def search(self, text):
        """Commands containing `text`, newest first."""
        return [item for item in reversed(self.items) if text in item]
