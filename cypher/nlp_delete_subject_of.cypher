// name: nlp_delete_subject_of
// params: $keys: SUBJECT_OF edge keys (INT64)
// returns: n — SUBJECT_OF edges deleted (a stale edge from an earlier ingest of the same document)
// example: {"keys": [1, 2]}
MATCH ()-[r:SUBJECT_OF]->() WHERE r.key IN $keys
DELETE r
RETURN count(*) AS n
