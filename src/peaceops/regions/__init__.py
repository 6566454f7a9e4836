"""Regional situation rooms: one UN M49 sub-region as a regional division's morning brief sees it."""
