// name: nlp_ingest_stamps
// params: $ids: Meta ids of ingest stamps (`nlp:<SHA-256 of a document's text>`); $hashes: the texts' SHA-256
// returns: kind, id, value — kind 'stamp': the Meta row (id, value = the stamp JSON); kind 'document': a Document whose text_hash is one of the hashes (id = the Document id, value = its text_hash)
// example: {"ids": ["nlp:0"], "hashes": ["0"]}
MATCH (m:Meta) WHERE m.id IN $ids
RETURN 'stamp' AS kind, m.id AS id, m.value AS value
UNION ALL
MATCH (d:Document) WHERE d.text_hash IN $hashes
RETURN 'document' AS kind, d.id AS id, d.text_hash AS value
