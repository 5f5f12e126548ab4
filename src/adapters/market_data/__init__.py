"""Market data adapters: the simulated market (default), Schwab, the cache around them,
and the NYSE calendar."""
