// name: compared_with
// description: The methods a method was compared with, in both directions, with the paper that says so.
// param method: method - the method
// param limit: integer = 50 - at most this many rows in each direction
// columns: method, direction, paper
// Papers are looked up by key only for the first $limit method names: every name has a row, so
// the first $limit rows are among them (at 100,000 synthetic papers the busiest method has 870
// comparisons, and their look-ups were two thirds of the query's time).
MATCH (m:Method {key: $method})-[r:COMPARED_WITH]->(o:Method)
WITH o.name AS method, collect(r.paper) AS stated_in
ORDER BY method
LIMIT $limit
UNWIND stated_in AS paper_key
MATCH (p:Paper {key: paper_key})
RETURN method, 'it was compared with' AS direction, p.title AS paper
ORDER BY method, paper
LIMIT $limit
UNION ALL
MATCH (o:Method)-[r:COMPARED_WITH]->(m:Method {key: $method})
WITH o.name AS method, collect(r.paper) AS stated_in
ORDER BY method
LIMIT $limit
UNWIND stated_in AS paper_key
MATCH (p:Paper {key: paper_key})
RETURN method, 'was compared with it' AS direction, p.title AS paper
ORDER BY method, paper
LIMIT $limit
