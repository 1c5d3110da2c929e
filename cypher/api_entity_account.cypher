// name: api_entity_account
// params: $id: Account id (A:…)
// returns: id, label, kind — one Account by primary key (no hashes)
// example: {"id": "A:1"}
MATCH (n:Account {id: $id})
RETURN n.id AS id,
       'Account' AS label,
       n.kind AS kind
