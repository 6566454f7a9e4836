"""peaceops: data-driven peace operations."""

import os

# Two OpenMP runtimes load into one process (LightGBM's libgomp and scikit-learn's bundled copy); with the
# default wait policy each pool's idle threads spin and starve the other's: a country forecast took 38 s
# instead of 0.5 s. Passive waiting must be set before either library loads: decision 032.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.2.0"
