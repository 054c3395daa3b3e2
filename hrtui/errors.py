"""The one exception type users see: its message is a single clear line, printed without a traceback."""


class UserError(Exception):
    """A refusal or failure the user can act on (bad path, wrong password, bad file...)."""
