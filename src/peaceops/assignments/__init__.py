"""Assignments to peace processes (mediators, their core teams, experts the helpdesk deployed) and the
end-of-assignment debrief each one owes (Blue Paper ¶35). Above ``processes`` and ``roster`` in the layers,
since it reads both through their public functions."""
