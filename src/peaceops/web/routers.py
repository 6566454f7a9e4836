"""Every area's routers, in the order the app mounts them: the one list a new page is added to.

Each module exposes ``pages`` (HTML) and ``api`` (JSON, mounted under /api); the name is the module's
tag in the OpenAPI description.
"""

from __future__ import annotations

from types import ModuleType

from peaceops.web.account import routes as account
from peaceops.web.accountability import conduct, countries, environment, partnerships, pledges, safety
from peaceops.web.admin import routes as admin
from peaceops.web.agreements import routes as agreements
from peaceops.web.auth import routes as auth
from peaceops.web.auth import second_step
from peaceops.web.commitments import routes as commitments
from peaceops.web.comms import routes as comms
from peaceops.web.conflict import routes as conflict
from peaceops.web.framework import routes as framework
from peaceops.web.health import routes as health
from peaceops.web.home import routes as home
from peaceops.web.imports import routes as imports
from peaceops.web.incidents import routes as incidents
from peaceops.web.jobs import routes as jobs
from peaceops.web.language import routes as language
from peaceops.web.missions import routes as missions
from peaceops.web.notifications import routes as notifications
from peaceops.web.performance import assessments as performance_assessments
from peaceops.web.performance import editing as performance_editing
from peaceops.web.performance import routes as performance
from peaceops.web.performance import scorecards as performance_scorecards
from peaceops.web.processes import routes as processes
from peaceops.web.regions import routes as regions
from peaceops.web.resources import routes as resources
from peaceops.web.roster import routes as helpdesk
from peaceops.web.support import routes as support
from peaceops.web.training import routes as training
from peaceops.web.transitions import routes as transitions

ROUTERS: tuple[tuple[str, ModuleType], ...] = (
    ("health", health),
    ("auth", auth),
    ("auth", second_step),
    ("account", account),
    ("notifications", notifications),
    ("language", language),
    ("home", home),
    ("framework", framework),
    ("missions", missions),
    ("conflict", conflict),
    ("regions", regions),
    ("incidents", incidents),
    ("imports", imports),
    ("admin", admin),
    ("jobs", jobs),
    ("performance", performance),
    ("training", training),
    ("transitions", transitions),
    ("support", support),
    ("resources", resources),
    ("performance_assessments", performance_assessments),
    ("performance_editing", performance_editing),
    ("performance_scorecards", performance_scorecards),
    ("safety", safety),
    ("conduct", conduct),
    ("countries", countries),
    ("agreements", agreements),
    ("environment", environment),
    ("pledges", pledges),
    ("partnerships", partnerships),
    ("helpdesk", helpdesk),
    ("processes", processes),
    ("commitments", commitments),
    ("comms", comms),
)
