"""The GraphQL endpoint."""

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

#: Read-only API: no cookies are trusted for writes, so CSRF protection is not needed here.
graphql_view = csrf_exempt(GraphQLView.as_view(graphiql=settings.DEBUG))
