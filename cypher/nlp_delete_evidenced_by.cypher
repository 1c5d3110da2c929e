// name: nlp_delete_evidenced_by
// params: $keys: EVIDENCED_BY edge keys (INT64)
// returns: n — EVIDENCED_BY edges deleted (a stale edge from an earlier ingest of the same document)
// example: {"keys": [1, 2]}
MATCH ()-[r:EVIDENCED_BY]->() WHERE r.key IN $keys
DELETE r
RETURN count(*) AS n
