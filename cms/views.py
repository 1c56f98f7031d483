"""The GraphQL endpoint."""

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

from .graphql_errors import UserInputError


class CmsGraphQLView(GraphQLView):
    """graphene-django's view, answering 400 when a resolver rejected the client's input."""

    def execute_graphql_request(self, request, *args, **kwargs):
        result = super().execute_graphql_request(request, *args, **kwargs)
        request._graphql_result = result
        return result

    def get_response(self, request, data, show_graphiql=False):
        body, status = super().get_response(request, data, show_graphiql)
        result = getattr(request, "_graphql_result", None)
        if (
            result is not None
            and result.errors
            and any(
                isinstance(getattr(error, "original_error", None), UserInputError)
                or isinstance(error, UserInputError)
                for error in result.errors
            )
        ):
            status = 400
        return body, status


#: Read-only API: no cookies are trusted for writes, so CSRF protection is not needed here.
graphql_view = csrf_exempt(CmsGraphQLView.as_view(graphiql=settings.DEBUG))
