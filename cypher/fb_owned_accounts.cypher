// name: fb_owned_accounts
// params: $id: Person id
// returns: account — the accounts the person owns (distinct)
// example: {"id": "P:fb-1"}
MATCH (p:Person {id: $id})-[:OWNS]->(a:Account)
RETURN DISTINCT a.id AS account
