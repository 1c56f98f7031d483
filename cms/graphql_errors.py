"""Errors the API reports to clients as bad requests (HTTP 400)."""

from graphql import GraphQLError


class UserInputError(GraphQLError):
    """A client sent an argument we cannot serve (e.g. an unknown locale).

    Raised from resolvers; the view answers HTTP 400 with this message instead of the
    GraphQL-over-HTTP default of 200 for field errors.
    """

    def __init__(self, message, **kwargs):
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"}, **kwargs)
