"""Environmental management: missions' energy, water, wastewater and waste figures against their targets."""

from peaceops.environment.importing import import_environment
from peaceops.environment.reports import EnvironmentInput, environment_overview, save_environment

__all__ = ["EnvironmentInput", "environment_overview", "import_environment", "save_environment"]
