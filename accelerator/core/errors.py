"""The domain error hierarchy: services raise these, one handler answers them (core/refusals).

Each error says what it means, and its meaning is its HTTP status, in one place:

    NotFound     404  the object does not exist, or the actor may not know it does
    NotAllowed   403  the actor may not do this
    Conflict     409  the current state refuses the act (cohort full, over the grant, taken)
    Invalid      422  the input breaks a rule (a date in the past, a duplicate name)

`InvalidState` (a Conflict) and `ValidationFailed` (an Invalid) are the older, longer names of
the same meanings, kept because services say them in many places.
"""


class DomainError(Exception):
    """A business rule refused the action; the message is safe to show to the user.

    `field` names the form field the message belongs beside, when there is one.
    """

    status = 409

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does (404)."""

    status = 404


class NotAllowed(DomainError):
    """The acting user may not do this (403)."""

    status = 403


class Conflict(DomainError):
    """The action clashes with the current state or existing data (409)."""

    status = 409


class Invalid(DomainError):
    """The input breaks a rule that a form cannot express on its own (422)."""

    status = 422


class InvalidState(Conflict):
    """The object is not in a state that allows this action (409)."""


class ValidationFailed(Invalid):
    """The input breaks a rule (422)."""
