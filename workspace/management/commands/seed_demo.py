import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from comments.demo import seed_comments
from commitments.demo import seed_commitments
from conference.demo import seed_conference, seed_programme
from notifications.demo import seed_notifications
from workspace.demo import seed_accounts, seed_publication, seed_recommendations
from workspace.scale import ConferenceAlreadyBuilt, build_conference, conference_exists


class Command(BaseCommand):
    help = (
        "Load the demo data (themes, organisations, users, recommendations, comments, "
        "the conference and its programme, endorsements, commitments and their progress, city "
        "profiles, a published edition). Safe to run again; the conference's deadlines are set "
        "again relative to today. --scale adds the conference at full size once (2,000 people, "
        "300 organisations, 10,000 recommendations, 100,000 comments, one text with 500 "
        "versions: a few minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="Password of the demo users (default 'demo'; given, it is set on every demo user).",
        )
        parser.add_argument(
            "--scale",
            action="store_true",
            help="Then add the conference-scale data set (workspace.scale.build_conference); "
            "refused if it is already there.",
        )

    def handle(self, *args, password: str | None = None, scale: bool = False, **options) -> None:
        if scale and conference_exists():
            raise CommandError(
                "The conference-scale data set is already in this database; it is built once. "
                "Nothing was changed. Start from a fresh database to build it again."
            )
        started = time.monotonic()
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
        if scale:
            self._scale(password or "demo", time.monotonic() - started)

    def _scale(self, password: str, demo_seconds: float) -> None:
        self.stdout.write(f"Demo ready in {demo_seconds:.1f} s. Building the conference scale:")
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:7.1f} s] {message}")
            self.stdout.flush()

        try:
            made = build_conference(password=password, progress=progress)
        except ConferenceAlreadyBuilt as exc:  # built by someone else meanwhile
            raise CommandError(str(exc)) from exc
        rec = made["history_recommendation"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Conference scale ready in {made['seconds']:.0f} s: {made['organisations']} "
                f"organisations, {made['people']} people (password as the demo's), "
                f"{made['recommendations']} recommendations ({made['drafts']} drafts), "
                f"{made['comments']} comments, {made['versions']} text versions."
            )
        )
        self.stdout.write(
            f"  {made['history_versions']} versions: /recommendations/{rec}/history/ and "
            f"/recommendations/{rec}/compare/?from=1&to={made['history_versions']}"
        )
        words = ", ".join(made["search_words"].values())
        self.stdout.write(f"  words found in many texts: {words}")
