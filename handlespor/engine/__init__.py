"""The composition engine: balanced groups for all tracks at once.

Pure Python on OR-Tools CP-SAT; it never imports Django. The engine proposes; people lock,
exclude and approve.
"""

from handlespor.engine.compose import compose
from handlespor.engine.diagnose import diagnose
from handlespor.engine.explain import Explainer
from handlespor.engine.models import (
    Applicant,
    Assignment,
    Composition,
    Instance,
    Lock,
    Rules,
    Settings,
    Target,
    Track,
)
from handlespor.engine.validate import objective, objective_key, violations

__all__ = [
    "Applicant",
    "Assignment",
    "Composition",
    "Explainer",
    "Instance",
    "Lock",
    "Rules",
    "Settings",
    "Target",
    "Track",
    "compose",
    "diagnose",
    "objective",
    "objective_key",
    "violations",
]
