"""Swedish for the admin strings an editor meets that Wagtail 8 ships untranslated.

Our catalogue (``cms/locale``, first in ``LOCALE_PATHS``) takes precedence over every app's,
so a string listed here and translated there reads Swedish wherever Wagtail shows it. They
are listed with ``gettext_noop`` so that ``make messages`` keeps them (it only keeps strings
it finds in our code). Strings of the admin's scripts are in ``djangojs.po`` beside it,
edited by hand (``compilemessages`` compiles both).
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = [
    # Autosave and saving (the editor's footer)
    gettext_noop("Autosave is paused"),
    gettext_noop("Autosave is <span>paused</span>"),  # the footer's message
    gettext_noop("Saved"),
    gettext_noop("There are validation errors, click save to highlight them."),
    gettext_noop("Saving will overwrite a newer version."),
    gettext_noop("Refresh"),
    gettext_noop("Refreshing…"),
    gettext_noop("Show issue"),
    gettext_noop("The page could not be saved as it is locked."),
    gettext_noop("The %(model_name)s could not be saved as it is locked"),
    # Landmarks of the page editor, read aloud by screen readers
    gettext_noop("Minimap"),
    gettext_noop("Side panels"),
    gettext_noop("Actions (footer)"),
    # Listings
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop("Exploring"),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop(
        "You are viewing a previous version of this %(model_name)s from <b>%(created_at)s</b>"
        " by %(user)s"
    ),
]
