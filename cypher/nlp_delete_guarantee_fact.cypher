// name: nlp_delete_guarantee_fact
// params: $keys: GUARANTEE_FACT edge keys (INT64)
// returns: n — GUARANTEE_FACT edges deleted (a stale edge from an earlier ingest of the same document)
// example: {"keys": [1, 2]}
MATCH ()-[r:GUARANTEE_FACT]->() WHERE r.key IN $keys
DELETE r
RETURN count(*) AS n
