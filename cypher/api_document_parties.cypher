// name: api_document_parties
// params: $id: Document id
// returns: id, label, name, role, kind, linked, linked_name — parties to the document; mentions with the entity they were resolved to
// example: {"id": "D:1"}
MATCH (p:Person)-[r:PARTY_TO]->(d:Document {id: $id})
RETURN p.id AS id, 'Person' AS label, p.name AS name, r.role AS role, 'person' AS kind,
       p.id AS linked, p.name AS linked_name
UNION ALL
MATCH (p:Company)-[r:PARTY_TO]->(d:Document {id: $id})
RETURN p.id AS id, 'Company' AS label, p.name AS name, r.role AS role, 'organization' AS kind,
       p.id AS linked, p.name AS linked_name
UNION ALL
MATCH (m:Mention)-[r:PARTY_TO]->(d:Document {id: $id})
OPTIONAL MATCH (m)-[:SAME_AS]->(e)
RETURN m.id AS id, 'Mention' AS label, m.name AS name, r.role AS role, m.kind AS kind,
       e.id AS linked, e.name AS linked_name
