"""National programme staff send the programme's assessors to any region's cycle (one assessor, many regions)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Membership, Role
from agencies.services import membership_grant
from evaluations.models import EvaluationCycle
from evaluations.services.cycles import cycle_set_assessors, hold_cycle


@transaction.atomic
def cycle_assign_assessors_nationally(
    *, cycle: EvaluationCycle, by: AbstractBaseUser, assessors: Iterable[AbstractBaseUser]
) -> None:
    """Make `assessors` the cycle's assessors, chosen from the programme's assessors wherever they work now.

    An assessor new to the cycle's region gets that region's assessor role first (audited as a role granted), so
    the one policy lets them read the locked cycle like any assessor of the region; then the region's own service
    sets the cycle's assessors and audits the change. Roles in the region are never taken away here: a person
    removed from this cycle may assess the region's other cycles.
    """
    cycle = hold_cycle(cycle)  # two assignments at once: the second sees the first's assessors (and audits so)
    chosen = list(assessors)
    # The chosen people's assessor roles, locked until the commit, so a role revoked meanwhile cannot still count.
    roles = Membership.objects.select_for_update(of=("self",)).filter(
        user__in=[user.pk for user in chosen],
        role=Role.ASSESSOR,
        is_active=True,
        region__is_active=True,
        user__is_active=True,
    )
    pool = set(roles.values_list("user_id", flat=True))
    outside = sorted(user.get_username() for user in chosen if user.pk not in pool)
    if outside:
        raise ValidationError(
            _("Only the programme's assessors can be assigned (not: %(names)s).") % {"names": ", ".join(outside)}
        )
    region = cycle.region
    already = set(
        Membership.objects.filter(region=region, role=Role.ASSESSOR, is_active=True).values_list("user_id", flat=True)
    )
    for user in chosen:
        if user.pk not in already:
            membership_grant(by=by, user=user, region=region, role=Role.ASSESSOR)
    cycle_set_assessors(cycle=cycle, by=by, assessors=chosen)
