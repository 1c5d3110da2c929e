// name: nlp_documents_state
// params: $docs: Document ids
// returns: doc, rel, key, node — what earlier ingests of the documents wrote: edge keys per type and their Mention/NegativeRecord ids (rel 'Mention'/'NegativeRecord', key 0); NegativeRecord rows include every record whose document_id is the document (the caller keeps its own, `N:<doc key>#…`)
// example: {"docs": ["D:1"]}
MATCH (x)-[r:PARTY_TO]->(d:Document) WHERE d.id IN $docs
RETURN d.id AS doc, 'PARTY_TO' AS rel, r.key AS key, x.id AS node
UNION ALL
MATCH (m:Mention)-[r:SAME_AS]->(x) WHERE m.document_id IN $docs
RETURN m.document_id AS doc, 'SAME_AS' AS rel, r.key AS key, m.id AS node
UNION ALL
MATCH (x)-[r:SUBJECT_OF]->(n:NegativeRecord) WHERE n.document_id IN $docs
RETURN n.document_id AS doc, 'SUBJECT_OF' AS rel, r.key AS key, n.id AS node
UNION ALL
MATCH (n:NegativeRecord)-[r:EVIDENCED_BY]->(d:Document) WHERE d.id IN $docs
RETURN d.id AS doc, 'EVIDENCED_BY' AS rel, r.key AS key, n.id AS node
UNION ALL
MATCH (a)-[r:GUARANTEE_FACT]->(b) WHERE r.document_id IN $docs
RETURN r.document_id AS doc, 'GUARANTEE_FACT' AS rel, r.key AS key, a.id AS node
UNION ALL
MATCH (m:Mention) WHERE m.document_id IN $docs
RETURN m.document_id AS doc, 'Mention' AS rel, 0 AS key, m.id AS node
UNION ALL
MATCH (d:Document) WHERE d.id IN $docs
RETURN d.id AS doc, 'Document' AS rel, 0 AS key, d.text_hash AS node
UNION ALL
MATCH (n:NegativeRecord) WHERE n.document_id IN $docs
RETURN n.document_id AS doc, 'NegativeRecord' AS rel, 0 AS key, n.id AS node
