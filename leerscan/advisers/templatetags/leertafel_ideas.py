"""The ideas of a participant's leertafel for pages outside this app (the results page), which
must not import leerscan.advisers: the template asks for them instead."""

from __future__ import annotations

from django import template

from leerscan.advisers.ideas import Matrix, idea_matrix

register = template.Library()


@register.simple_tag
def participant_idea_matrix(participant) -> Matrix | None:
    """The matrix of the participant's leertafel with their own ideas marked (one query)."""
    if participant is None:
        return None
    return idea_matrix(leertafel_id=participant.leertafel_id, reader=participant)
