"""Dirk (site maintenance) finds the coaching records in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["client", "measurement", "sharecode", "coachnote", "actionitem"])
def test_every_coaching_model_has_an_admin_list(staff_client, anna_plan, model):
    response = staff_client.get(reverse(f"admin:coaching_{model}_changelist"))
    assert response.status_code == 200
