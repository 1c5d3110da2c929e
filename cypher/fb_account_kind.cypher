// name: fb_account_kind
// params: $id: Account id
// returns: kind — the account's type (FinBench accountType, e.g. "debit card"); no row if there is no such account
// example: {"id": "A:fb-1"}
MATCH (a:Account {id: $id})
RETURN a.kind AS kind
