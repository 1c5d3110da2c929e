// name: api_circle_members
// params: $id: Circle id
// returns: id, label, name — members of the circle (persons and companies), unordered (a UNION; callers sort)
// example: {"id": "K:1"}
MATCH (m:Person)-[:IN_CIRCLE]->(k:Circle {id: $id})
RETURN m.id AS id, 'Person' AS label, m.name AS name
UNION ALL
MATCH (m:Company)-[:IN_CIRCLE]->(k:Circle {id: $id})
RETURN m.id AS id, 'Company' AS label, m.name AS name
