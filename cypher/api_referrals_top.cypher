// name: api_referrals_top
// params: $skip: rows to skip; $limit: max rows
// returns: id, name, referred, converted — referrers by converted referrals
// example: {"skip": 0, "limit": 10}
MATCH (a:Person)-[r:REFERRED]->(b:Person)
WITH a, count(*) AS referred, sum(CASE WHEN r.converted THEN 1 ELSE 0 END) AS converted
RETURN a.id AS id, a.name AS name, referred, converted
ORDER BY converted DESC, referred DESC, id SKIP $skip LIMIT $limit
