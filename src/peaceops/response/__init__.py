"""Early response: what was done about a warning (actions on alerts), tied to the missions, peace processes and
envoys that acted. Above ``conflict`` and ``processes`` in the layers, since it links the two."""
