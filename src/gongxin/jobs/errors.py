"""Exceptions the runner understands."""


class JobSuperseded(Exception):
    """This attempt no longer owns the job (the reaper handed it to a new attempt, or it was
    marked failed): stop without writing anything more."""
