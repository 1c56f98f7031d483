"""Grant recipients and partners are snippets shown in grant rows and named in search text:
a change invalidates the answers that show them (``cms.api.invalidation``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cms.api import tags as cache_tags
from cms.api.invalidation import snippet_changed

from .models import PartnerOrganisation, Recipient


@receiver([post_save, post_delete], sender=Recipient)
def on_recipient_change(sender, instance, **kwargs):
    snippet_changed("recipient", instance.pk, cache_tags.SEARCH)


@receiver([post_save, post_delete], sender=PartnerOrganisation)
def on_partner_change(sender, instance, **kwargs):
    snippet_changed("partner", instance.pk, cache_tags.SEARCH)
