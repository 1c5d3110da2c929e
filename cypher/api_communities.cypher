// name: api_communities
// params: $skip: rows to skip; $limit: max rows
// returns: id, size, profile_json, computed_at — fund-flow communities, largest first
// example: {"skip": 0, "limit": 10}
MATCH (c:Community)
RETURN c.id AS id, c.size AS size, c.profile_json AS profile_json, c.computed_at AS computed_at
ORDER BY size DESC, id SKIP $skip LIMIT $limit
