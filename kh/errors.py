"""One family of errors the command line turns into exit 1 and one clear line."""


class KhError(Exception):
    """Input or data refused. ``where`` is the file:line, field or argument at fault."""

    exit_code = 1

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class NotFound(KhError):
    """A plan, ref, unit, assignee or obligation that the store does not hold."""


class StoreError(KhError):
    """The store cannot be opened, created or upgraded."""
