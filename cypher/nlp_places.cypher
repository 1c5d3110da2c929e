// name: nlp_places
// params: $grids: Grid ids; $households: Household ids
// returns: id, name, village, address — grids (name, village) and households (address) for address evidence
// example: {"grids": ["G:1"], "households": ["H:1"]}
MATCH (g:Grid) WHERE g.id IN $grids
RETURN g.id AS id, g.name AS name, g.village AS village, '' AS address
UNION ALL
MATCH (h:Household) WHERE h.id IN $households
RETURN h.id AS id, '' AS name, '' AS village, h.address AS address
