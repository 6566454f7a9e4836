"""Mediation support: the agreements memory and its search (peace processes, debriefs and roster to come)."""
