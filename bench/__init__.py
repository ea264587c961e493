"""Scale benchmark: a large generated board and page timings against the floor of the stack."""
