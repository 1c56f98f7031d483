"""``page(previewToken: ...)``: the revision a token opens (``cms.preview``), as the API
serves it. Previews are private, so an answer that reads a token is never cached."""

from cms.graphql_errors import UserInputError
from cms.preview import InvalidPreviewToken, revision_from_token

from .context import ApiContext, mark


def page_from_preview_token(info, token):
    ApiContext.of(info).cacheable = False  # also when the token is refused
    try:
        revision = revision_from_token(token)
    except InvalidPreviewToken as error:
        raise UserInputError(str(error)) from None
    page = revision.as_object()
    mark([page], page.locale.language_code)
    return page
