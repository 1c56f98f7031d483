"""``manage.py seed_demo``: the bilingual demo site, idempotent."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.users.models import UserProfile

from demo.seed import DemoSeeder
from webhooks.models import WebhookEndpoint

FRONTEND_ENDPOINT = "Reference frontend"


class Command(BaseCommand):
    help = (
        "Create the bilingual demo site (ICLD's news, grants, topics and about page in Swedish "
        "and English). Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            metavar="USERNAME",
            help="Also create (or reset) a demo superuser with this name and print its password.",
        )
        parser.add_argument(
            "--password",
            help="Password for --admin (default: a new random one, printed).",
        )
        parser.add_argument(
            "--frontend-webhook",
            metavar="URL",
            help=(
                "Also subscribe the reference frontend's revalidation route (e.g. "
                "http://127.0.0.1:3000/api/revalidate/) to page and image events, as the "
                "webhook endpoint 'Reference frontend'."
            ),
        )
        parser.add_argument(
            "--webhook-secret",
            help="Signing secret of --frontend-webhook (the frontend's CMS_WEBHOOK_SECRET).",
        )

    def handle(
        self,
        *args,
        admin=None,
        password=None,
        frontend_webhook=None,
        webhook_secret=None,
        **options,
    ):
        if password and not admin:
            raise CommandError("--password needs --admin USERNAME.")
        if bool(frontend_webhook) != bool(webhook_secret):
            raise CommandError("--frontend-webhook and --webhook-secret go together.")
        if frontend_webhook and not frontend_webhook.startswith(("http://", "https://")):
            raise CommandError("--frontend-webhook must be an http(s) URL.")
        if admin is not None and not admin.strip():
            raise CommandError("--admin needs a non-empty user name.")
        with transaction.atomic():  # all or nothing
            # The admin first: the pages are published as that person (see demo.seed).
            user, login = self.create_admin(admin.strip(), password) if admin else (None, "")
            seeder = DemoSeeder(log=lambda line: self.stdout.write(line), user=user)
            created = seeder.run()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo site ready: {created} objects created."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo site already complete; nothing to do."))
        if login:
            self.stdout.write(self.style.SUCCESS(login))
        if frontend_webhook:
            self.subscribe_frontend(frontend_webhook, webhook_secret)

    def subscribe_frontend(self, url, secret):
        """One endpoint named "Reference frontend", updated in place when run again."""
        endpoint, created = WebhookEndpoint.objects.update_or_create(
            name=FRONTEND_ENDPOINT,
            defaults={"url": url, "secret": secret, "is_active": True},
        )
        verb = "Subscribed" if created else "Updated"
        self.stdout.write(f"{verb} webhook endpoint {endpoint.name!r}: {url}")

    def create_admin(self, username, password):
        """The demo superuser, and the line telling its login (printed after the seeding's
        progress, where it is seen)."""
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        # A name, so saving the account's preferences passes Wagtail's required fields.
        user.first_name = user.first_name or "Demo"
        user.last_name = user.last_name or "Redaktör"
        user.set_password(password)
        user.save()
        # The admin in Swedish and in Stockholm time, whatever the browser says.
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "sv"
        profile.current_time_zone = "Europe/Stockholm"
        profile.save()
        verb = "Created" if created else "Reset"
        return user, (
            f"{verb} demo admin. Log in at /admin/ as {username!r} with password {password!r}"
        )
