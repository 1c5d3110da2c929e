// name: nlp_delete_party_to
// params: $keys: PARTY_TO edge keys (INT64)
// returns: n — PARTY_TO edges deleted (a stale edge from an earlier ingest of the same document)
// example: {"keys": [1, 2]}
MATCH ()-[r:PARTY_TO]->() WHERE r.key IN $keys
DELETE r
RETURN count(*) AS n
