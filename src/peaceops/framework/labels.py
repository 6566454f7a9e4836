"""The A4P+ priorities' and cross-cutting themes' titles, marked for the catalogues.

The framework (``a4p.toml``) is reference data in English; pages show these titles translated with
``_(title)`` (the French of the A4P+ documents), and any other title as written in the data.
"""

from __future__ import annotations

from peaceops.i18n import N_

__all__ = ["PRIORITY_TITLES"]

PRIORITY_TITLES = (
    N_("Collective coherence behind a political strategy"),
    N_("Strategic and operational integration"),
    N_("Capabilities and mindsets"),
    N_("Accountability to peacekeepers"),
    N_("Accountability of peacekeepers"),
    N_("Strategic communications"),
    N_("Cooperation with host countries"),
    N_("Women, peace and security"),
    N_("Innovative, data-driven and technology-enabled peacekeeping"),
)
