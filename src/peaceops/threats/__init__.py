"""threats: counts by threat area across every kind of record that carries one (incidents, monitored items
and narratives, peace processes, conflict alerts, training courses), for a mission or a region, over exactly
what the reader may see (decision 046)."""

from peaceops.threats.summary import KINDS, threat_summary

__all__ = ["KINDS", "threat_summary"]
