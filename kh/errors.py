"""One family of errors the command line turns into exit 1 and one clear line.

A refusal is a catalogue key and its parameters, never English text:

    raise KhError("value.negative", where="VALUE", raw=raw)

and is rendered in the active language when it is shown (kh/catalogue.py holds the words).
"""


class KhError(Exception):
    """Input or data refused. ``key`` names the message in kh/catalogue.py, ``params`` fill it;
    ``where`` is the file:line, field or argument at fault."""

    exit_code = 1

    def __init__(self, key: str, /, where: str | None = None, **params):
        super().__init__(key)
        self.key = key
        self.params = params
        self.where = where

    @property
    def message(self) -> str:
        """The message in the active language (without ``where``)."""
        from kh.i18n import t

        return t(self.key, **self.params)

    def at(self, where: str | None) -> "KhError":
        """The same refusal, placed at ``where`` (an option, a file:line): ``raise e.at("--period")``."""
        e = type(self)(self.key, where=where, **self.params)
        e.__cause__ = None
        return e

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class NotFound(KhError):
    """A plan, ref, unit, assignee or obligation that the store does not hold."""


class StoreError(KhError):
    """The store cannot be opened, created or upgraded."""
