"""Long jobs run by workers from the durable queue of ``store.jobs`` (decision 051).

``handlers`` says what each kind of job does; ``worker`` takes jobs from the queue and runs them with a
heartbeat and progress. The CLI (``peaceops jobs``) and the web admin page queue them.
"""

from peaceops.jobs.handlers import HANDLERS, JOB_KINDS, submit
from peaceops.jobs.worker import run_worker, work_once

__all__ = ["HANDLERS", "JOB_KINDS", "run_worker", "submit", "work_once"]
