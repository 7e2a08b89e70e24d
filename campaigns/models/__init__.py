"""The campaign (phong trào thi đua): its plan as data (plan.py) and the units' work under it (work.py)."""

from .plan import (  # noqa: F401
    Campaign,
    CampaignKind,
    CampaignStatus,
    EmulationContent,
    FollowUpTask,
    Inspection,
    Milestone,
    MilestoneKind,
    Registration,
    RegistrationCommitment,
    ThemeDocument,
    YearlyTheme,
)
from .work import (  # noqa: F401
    Achievement,
    AchievementStatus,
    EvidenceFile,
    ExemplaryModel,
    Initiative,
    InitiativeFile,
    InitiativeLevel,
    InitiativeStatus,
)
