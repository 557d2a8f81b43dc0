"""python manage.py create_adviser EMAIL "ORGANISATION": the first adviser in (and others).

The password comes from LEERSCAN_ADVISER_PASSWORD when set (for scripts), else it is asked twice.
The organisation is created when new; its first adviser administers it (may invite colleagues).
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from leerscan.advisers.services import adviser_create


class Command(BaseCommand):
    help = (
        "Creates an adviser (and the organisation when new); "
        "the password from LEERSCAN_ADVISER_PASSWORD, or asked."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("organisation")

    def handle(self, *args, email: str, organisation: str, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"not an e-mail address: {email!r}") from None
        if not organisation.strip():
            raise CommandError("name the organisation")
        if get_user_model().objects.filter(username=email).exists():
            raise CommandError(f"{email} already has an account")
        password = os.environ.get("LEERSCAN_ADVISER_PASSWORD") or self._ask()
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        adviser = adviser_create(email=email, organisation_name=organisation, password=password)
        role = " (organisation admin)" if adviser.is_organisation_admin else ""
        self.stdout.write(f"Adviser {email} created in {adviser.organisation.name}{role}.")

    def _ask(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return first
