// name: lineage_path
// description: The chain of builds-on steps between two methods (at most 8), whichever way it runs.
// param from: method - one method
// param to: method - the other method
// columns: step, method, builds_on, paper
MATCH (a:Method {key: $from})
MATCH (b:Method {key: $to})
WITH a, b, shortestPath((a)-[:BUILDS_ON*..8]->(b)) AS down
WITH a, b, down, shortestPath((b)-[:BUILDS_ON*..8]->(a)) AS up
WITH CASE WHEN down IS NULL THEN up ELSE down END AS path
WITH path WHERE path IS NOT NULL
UNWIND range(0, length(path) - 1) AS i
WITH i, nodes(path)[i] AS x, nodes(path)[i + 1] AS y, relationships(path)[i] AS r
MATCH (p:Paper {key: r.paper})
RETURN i + 1 AS step, x.name AS method, y.name AS builds_on, p.title AS paper
ORDER BY step
LIMIT 8
