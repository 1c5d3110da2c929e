// name: entity_search
// params: $q: name fragment; $limit: max rows
// returns: id, label, name — persons and companies whose name contains $q
// example: {"q": "张", "limit": 5}
MATCH (n:Person) WHERE n.name CONTAINS $q
RETURN n.id AS id, 'Person' AS label, n.name AS name
ORDER BY id LIMIT $limit
UNION ALL
MATCH (n:Company) WHERE n.name CONTAINS $q
RETURN n.id AS id, 'Company' AS label, n.name AS name
ORDER BY id LIMIT $limit
