// name: api_person_search
// params: $q: name fragment or exact id; $skip: rows to skip; $limit: max rows
// returns: id, label, name — persons whose name contains $q (or whose id is $q), ordered by id
// example: {"q": "张", "skip": 0, "limit": 5}
MATCH (n:Person) WHERE n.name CONTAINS $q OR n.id = $q
RETURN n.id AS id, 'Person' AS label, n.name AS name
ORDER BY id SKIP $skip LIMIT $limit
