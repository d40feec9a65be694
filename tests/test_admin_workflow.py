"""Reports and evidence are visible to system administrators but changed only through the workflow pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import World, client_for, make_user


@pytest.mark.parametrize("model", ["masterplan_progressreport", "evidence_evidence", "evidence_storedfile"])
def test_workflow_models_are_read_only_in_the_admin(world: World, model: str) -> None:
    admin = client_for(make_user("root", is_superuser=True, is_staff=True))
    assert admin.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin.get(reverse(f"admin:{model}_add")).status_code == 403
    obj = {
        "masterplan_progressreport": world.report_a,
        "evidence_evidence": world.evidence_a,
        "evidence_storedfile": world.evidence_a.stored_file,
    }
    change = admin.get(reverse(f"admin:{model}_change", args=[obj[model].pk]))
    assert change.status_code == 200 and b'type="submit" value="Simpan"' not in change.content
    assert admin.post(reverse(f"admin:{model}_delete", args=[obj[model].pk]), {"post": "yes"}).status_code == 403
