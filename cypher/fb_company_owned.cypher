// name: fb_company_owned
// params: $ids: list of Account ids
// returns: account — those of the accounts that some Company owns (distinct)
// example: {"ids": ["A:fb-1", "A:fb-2"]}
UNWIND $ids AS i
MATCH (c:Company)-[:OWNS]->(a:Account {id: i})
RETURN DISTINCT a.id AS account
