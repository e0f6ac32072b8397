from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from comments.demo import seed_comments
from commitments.demo import seed_commitments
from conference.demo import seed_conference, seed_programme
from notifications.demo import seed_notifications
from workspace.demo import seed_accounts, seed_publication, seed_recommendations


class Command(BaseCommand):
    help = (
        "Load the demo data (themes, organisations, users, recommendations, comments, "
        "the conference and its programme, endorsements, commitments and their progress, city "
        "profiles, a published edition). Safe to run again; the conference's deadlines are set "
        "again relative to today."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="Password of the demo users (default 'demo'; given, it is set on every demo user).",
        )

    def handle(self, *args, password: str | None = None, **options) -> None:
        with transaction.atomic():
            logins = seed_accounts(password or "demo", force_password=password is not None)
            made = seed_recommendations()
            comments = seed_comments()  # before publication: final texts take no comments
            commitments = seed_commitments()  # before publication: the edition carries them
            conference = seed_conference()  # before publication: its front matter
            published = seed_publication(adopted_on=conference.ends_on)
            sessions = seed_programme(conference)
            seed_notifications()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Logins (password: %s):" % ("as given" if password else "demo")
            )
        )
        if made:
            self.stdout.write(f"Created {made} demo recommendations.")
        if comments:
            self.stdout.write(f"Added {comments} demo comment threads.")
        if sessions:
            self.stdout.write(f"Added {sessions} programme sessions.")
        if commitments:
            self.stdout.write(f"Added {commitments} demo commitments.")
        if published:
            self.stdout.write(f"Added {published} demo endorsements and editions.")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role}")
