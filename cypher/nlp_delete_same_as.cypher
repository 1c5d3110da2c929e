// name: nlp_delete_same_as
// params: $keys: SAME_AS edge keys (INT64)
// returns: n — SAME_AS edges deleted (a stale edge from an earlier ingest of the same document)
// example: {"keys": [1, 2]}
MATCH ()-[r:SAME_AS]->() WHERE r.key IN $keys
DELETE r
RETURN count(*) AS n
