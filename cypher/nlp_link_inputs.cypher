// name: nlp_link_inputs
// params: (none)
// returns: k, n — the number of nodes per label and edges per type that entity linking reads (Person, Company, Household, Grid, Loan; GUARANTEES, BORROWED, MEMBER_OF, LEGAL_REP_OF, SHAREHOLDER_OF); part of the ingest stamp that tells a changed graph
// example: {}
MATCH (n:Person) RETURN 'Person' AS k, count(n) AS n
UNION ALL
MATCH (n:Company) RETURN 'Company' AS k, count(n) AS n
UNION ALL
MATCH (n:Household) RETURN 'Household' AS k, count(n) AS n
UNION ALL
MATCH (n:Grid) RETURN 'Grid' AS k, count(n) AS n
UNION ALL
MATCH (n:Loan) RETURN 'Loan' AS k, count(n) AS n
UNION ALL
MATCH ()-[r:GUARANTEES]->() RETURN 'GUARANTEES' AS k, count(r) AS n
UNION ALL
MATCH ()-[r:BORROWED]->() RETURN 'BORROWED' AS k, count(r) AS n
UNION ALL
MATCH ()-[r:MEMBER_OF]->() RETURN 'MEMBER_OF' AS k, count(r) AS n
UNION ALL
MATCH ()-[r:LEGAL_REP_OF]->() RETURN 'LEGAL_REP_OF' AS k, count(r) AS n
UNION ALL
MATCH ()-[r:SHAREHOLDER_OF]->() RETURN 'SHAREHOLDER_OF' AS k, count(r) AS n
