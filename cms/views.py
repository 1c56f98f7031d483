"""The GraphQL endpoint, bound to the root schema."""

from .api.view import GraphQLView
from .schema import schema

graphql_view = GraphQLView.as_view(schema=schema)
