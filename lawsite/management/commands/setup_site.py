import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError, call_command

from articles.models import Person

# (username, group, what it is for, demo Person it belongs to): a superuser, one user per staff role to
# try the permissions, and the two sample attorneys' accounts, the only ones that may approve articles.
DEMO_LOGINS = [
    ("staff", None, "Staff (all rights)", None),
    ("editor", "Editors", "Editor (articles only)", None),
    ("intake", "Intake", "Intake (consultation requests)", None),
    ("elena", "Editors", "Attorney Elena Marsh (approves articles)", "elena-marsh"),
    ("david", "Editors", "Attorney David Kessler (approves articles)", "david-kessler"),
]
DEMO_LAST_NAME = "(demo account)"


class Command(BaseCommand):
    help = "Development only: load the demo content and make sure a local staff login exists (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "setup_site creates a known login and is for development (DJANGO_DEBUG=1) only."
            )
        for command in self.setup_commands():
            call_command(command)
        password = self.dev_password()
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_PATH}"
        for username, group, role, person in DEMO_LOGINS:
            user = self.ensure_user(username, password, group)
            full_name = (
                Person.objects.filter(slug=person).values_list("name", flat=True).first() if person else None
            )
            if full_name and user.last_name == DEMO_LAST_NAME:
                # An attorney's login carries their name: staff lists (e.g. intake's assignees) show names.
                user.first_name, _, user.last_name = full_name.partition(" ")
                user.save(update_fields=["first_name", "last_name"])
            if person:
                # Link the sample attorney to their login, unless staff linked the profile to someone else.
                Person.objects.filter(slug=person, user__isnull=True).update(user=user)
            self.stdout.write(
                self.style.SUCCESS(f"{role} login: {admin_url}  user: {username}  password: {password}")
            )

    def setup_commands(self) -> list[str]:
        """Commands that load demo content; each app adds its own and each is idempotent."""
        return ["load_demo_content"]

    def dev_password(self) -> str:
        """One random password for the local demo logins, kept in var/ so it stays the same."""
        password_file = settings.VAR_DIR / "dev-staff-password"
        if password_file.exists():
            return password_file.read_text().strip()
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        return password

    def ensure_user(self, username: str, password: str, group: str | None):
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "first_name": username.title(),
                "last_name": DEMO_LAST_NAME,
            },
        )
        user.is_staff = True
        user.is_superuser = group is None
        user.set_password(password)
        user.save()
        if group:
            user.groups.set([Group.objects.get(name=group)])
        return user
