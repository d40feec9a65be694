"""The load bench's visitor, run by locust from `bench/load.py` (never on its own): every page in turn, each as
its persona (a session cookie made by load.py), so each page is requested as often as the others."""

from __future__ import annotations

import json
import os
from pathlib import Path

from locust import HttpUser, constant, task

PAGES = json.loads(Path(os.environ["BENCH_PAGES"]).read_text())


class Visitor(HttpUser):
    wait_time = constant(0)  # back to back: the server's capacity is what is measured, not think time

    @task
    def visit_every_page(self) -> None:
        for page in PAGES:
            # The persona's session only: nothing the previous page set (CSRF, messages) goes along.
            self.client.cookies.clear()
            with self.client.get(
                page["url"], name=page["label"], cookies=page["cookies"], allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
