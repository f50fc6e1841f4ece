class WordListFull(Exception):
    """Adding these words would take the app's list over its cap; nothing was saved."""

    def __init__(self, *, limit: int, current: int, new: int) -> None:
        self.limit, self.current, self.new = limit, current, new
        super().__init__(f"{current} words + {new} new > {limit}")
