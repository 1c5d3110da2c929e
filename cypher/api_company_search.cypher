// name: api_company_search
// params: $q: name fragment, exact id or exact USCC; $skip: rows to skip; $limit: max rows
// returns: id, label, name — companies whose name contains $q (or whose id/USCC is $q), ordered by id
// example: {"q": "茶", "skip": 0, "limit": 5}
MATCH (n:Company) WHERE n.name CONTAINS $q OR n.id = $q OR n.uscc = $q
RETURN n.id AS id, 'Company' AS label, n.name AS name
ORDER BY id SKIP $skip LIMIT $limit
