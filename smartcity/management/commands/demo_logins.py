"""`manage.py demo_logins`: the demo accounts and their password, as a table for the README or a terminal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from smartcity.demo import kediri, people

HEADERS = ("Username", "Password", "Role", "Agency", "Name")


def login_rows() -> list[tuple[str, ...]]:
    """One row per demo login, with the password as it stands now (a changed one is not printed)."""
    specs = (*people.USERS, *kediri.USERS)  # Banjar's logins, the national staff's, then the second region's
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=[s.username for s in specs])}
    rows = []
    for spec in specs:
        user = users.get(spec.username)
        if user is None:
            shown = "(not loaded)"
        elif user.check_password(people.DEMO_PASSWORD):
            shown = people.DEMO_PASSWORD
        else:
            shown = "(changed)"
        agency = spec.agency or "—"
        rows.append((spec.username, shown, spec.role_label, agency, f"{spec.first_name} {spec.last_name}"))
    return rows


def render_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=False)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


class Command(BaseCommand):
    help = "Print the Kabupaten Banjar demo logins (username, password, role, agency)."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = login_rows()
        self.stdout.write(f"Demo logins for {people.REGION['name']}:\n")
        self.stdout.write(render_table(HEADERS, rows))
        if any(row[1] == "(not loaded)" for row in rows):
            self.stdout.write("\nSome demo logins do not exist yet: run `manage.py load_demo` first.")
