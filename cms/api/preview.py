"""``page(previewToken: ...)``: the page a token opens (``cms.preview``: a snapshot of the
admin form, or a saved revision), as the API serves it. Previews are private, so an answer
that reads a token is never cached."""

from cms.graphql_errors import UserInputError
from cms.preview import InvalidPreviewToken, page_from_token

from .context import ApiContext
from .nodes import wrap_pages


def page_from_preview_token(info, token):
    ApiContext.of(info).cacheable = False  # also when the token is refused
    try:
        page = page_from_token(token)
    except InvalidPreviewToken as error:
        raise UserInputError(str(error)) from None
    return wrap_pages([page], page.locale.language_code, in_memory=True)[0]
