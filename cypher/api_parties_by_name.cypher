// name: api_parties_by_name
// params: $names: exact names; $codes: exact USCCs; $limit: max rows
// returns: id, label, name — persons and companies with one of the names (companies also by USCC), to link document parties
// example: {"names": ["张三", "祁门茶业有限公司"], "codes": [], "limit": 10}
MATCH (n:Person) WHERE n.name IN $names
RETURN n.id AS id, 'Person' AS label, n.name AS name LIMIT $limit
UNION ALL
MATCH (n:Company) WHERE n.name IN $names OR n.uscc IN $codes
RETURN n.id AS id, 'Company' AS label, n.name AS name LIMIT $limit
