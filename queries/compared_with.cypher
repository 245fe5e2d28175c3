// name: compared_with
// description: The methods a method was compared with, in both directions, with the paper that says so.
// param method: method - the method
// param limit: integer = 50 - at most this many rows in each direction
// columns: method, direction, paper
MATCH (m:Method {key: $method})-[r:COMPARED_WITH]->(o:Method)
WITH o, r  // a look-up per row; without it FalkorDB joins against a scan of every paper
MATCH (p:Paper {key: r.paper})
RETURN o.name AS method, 'it was compared with' AS direction, p.title AS paper
ORDER BY method, paper
LIMIT $limit
UNION ALL
MATCH (o:Method)-[r:COMPARED_WITH]->(m:Method {key: $method})
WITH o, r
MATCH (p:Paper {key: r.paper})
RETURN o.name AS method, 'was compared with it' AS direction, p.title AS paper
ORDER BY method, paper
LIMIT $limit
