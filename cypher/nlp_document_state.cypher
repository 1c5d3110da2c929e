// name: nlp_document_state
// params: $doc: Document id; $prefix: id prefix of the document's own records (`N:<doc key>#`)
// returns: rel, key, node — what an earlier ingest of the document wrote: edge keys per type and its Mention/NegativeRecord ids (rel 'Mention'/'NegativeRecord', key 0)
// example: {"doc": "D:1", "prefix": "N:1#"}
MATCH (x)-[r:PARTY_TO]->(d:Document {id: $doc})
RETURN 'PARTY_TO' AS rel, r.key AS key, x.id AS node
UNION ALL
MATCH (m:Mention)-[r:SAME_AS]->(x) WHERE m.document_id = $doc
RETURN 'SAME_AS' AS rel, r.key AS key, m.id AS node
UNION ALL
MATCH (x)-[r:SUBJECT_OF]->(n:NegativeRecord) WHERE n.id STARTS WITH $prefix
RETURN 'SUBJECT_OF' AS rel, r.key AS key, n.id AS node
UNION ALL
MATCH (n:NegativeRecord)-[r:EVIDENCED_BY]->(d:Document {id: $doc})
RETURN 'EVIDENCED_BY' AS rel, r.key AS key, n.id AS node
UNION ALL
MATCH (a)-[r:GUARANTEE_FACT]->(b) WHERE r.document_id = $doc
RETURN 'GUARANTEE_FACT' AS rel, r.key AS key, a.id AS node
UNION ALL
MATCH (m:Mention) WHERE m.document_id = $doc
RETURN 'Mention' AS rel, 0 AS key, m.id AS node
UNION ALL
MATCH (n:NegativeRecord) WHERE n.id STARTS WITH $prefix
RETURN 'NegativeRecord' AS rel, 0 AS key, n.id AS node
