"""`manage.py reporter_token issue|revoke|list`: trusted reporters' tokens."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from routes.reports.models import TrustedReporterToken
from routes.reports.services import trusted_token_issue, trusted_token_revoke
from routes.reports.tokens import TRUSTED_TOKEN_SHOWN


class Command(BaseCommand):
    help = (
        "Issue a token that lets a volunteer publish reports directly (shown once), "
        "revoke one by its prefix, or list them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a token")
        issue.add_argument("--label", required=True, help="who or what it is for")
        revoke = sub.add_parser("revoke", help="revoke a token")
        revoke.add_argument("prefix", help="the token's first 10 characters (rpt_…)")
        sub.add_parser("list", help="list tokens")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "issue":
            try:
                token, raw = trusted_token_issue(label=str(options["label"]))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(f"token for {token.label!r} (shown once): {raw}")
        elif action == "revoke":
            # The stored prefix, whether given alone or as the whole token.
            prefix = str(options["prefix"])[:TRUSTED_TOKEN_SHOWN]
            matches = list(
                TrustedReporterToken.objects.filter(
                    prefix=prefix, revoked_at__isnull=True
                )
            )
            if len(matches) != 1:
                raise CommandError(
                    f"{len(matches)} active tokens start with {prefix!r}; need 1"
                )
            trusted_token_revoke(token=matches[0])
            self.stdout.write(f"revoked {matches[0]}")
        else:
            for token in TrustedReporterToken.objects.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {state:8}  {token.label}")
