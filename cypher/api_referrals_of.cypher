// name: api_referrals_of
// params: $id: Person id; $limit: max rows
// returns: src, src_name, dst, dst_name, date, campaign, converted — referrals made or received by the person
// example: {"id": "P:1", "limit": 10}
MATCH (a:Person)-[r:REFERRED]->(b:Person)
WHERE a.id = $id OR b.id = $id
RETURN a.id AS src, a.name AS src_name, b.id AS dst, b.name AS dst_name, r.date AS date,
       r.campaign AS campaign, r.converted AS converted
ORDER BY date DESC, src, dst LIMIT $limit
