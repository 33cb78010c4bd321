"""One module per pack, each exposing METRICS (and nothing else is needed to add a pack)."""
