"""The domain error hierarchy: services raise these, views show them to the user."""


class DomainError(Exception):
    """A business rule refused the action; the message is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The acting user may not do this."""


class InvalidState(DomainError):
    """The object is not in a state that allows this action."""


class ValidationFailed(DomainError):
    """The input breaks a rule that a form cannot express on its own."""


class Conflict(DomainError):
    """The action clashes with existing data (duplicate, capacity or cap reached)."""
