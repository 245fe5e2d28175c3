// name: collaboration_path
// description: The shortest chain of co-authorships between two authors (at most 6 steps), each step with its paper.
// param from: author - the first author
// param to: author - the second author
// columns: step, author, coauthor, paper
MATCH (a:Author {key: $from})
MATCH (b:Author {key: $to})
WITH shortestPath((a)-[:CO_AUTHOR*..6]->(b)) AS path
WITH path WHERE path IS NOT NULL
UNWIND range(0, length(path) - 1) AS i
WITH i, nodes(path)[i] AS x, nodes(path)[i + 1] AS y, relationships(path)[i] AS r
MATCH (p:Paper {key: r.paper})
RETURN i + 1 AS step, x.name AS author, y.name AS coauthor, p.title AS paper
ORDER BY step
LIMIT 6
