"""Named Cypher queries, one per `.cypher` file (see `guanxi.graph.queries`)."""
