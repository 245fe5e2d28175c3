// name: author_profile
// description: An author's papers, the methods they proposed, the datasets they used, organisations and co-authors.
// param author: author - the author
// columns: author, papers, methods, datasets, organizations, coauthors
MATCH (a:Author {key: $author})-[:AUTHORED]->(p:Paper)
WITH a, collect(DISTINCT p) AS papers
UNWIND papers AS p
OPTIONAL MATCH (p)-[:PROPOSES]->(m:Method)
WITH a, papers, collect(DISTINCT m.name) AS methods
UNWIND papers AS p
OPTIONAL MATCH (p)-[:EVALUATED_ON|INTRODUCES]->(d:Dataset)
WITH a, papers, methods, collect(DISTINCT d.name) AS datasets
UNWIND papers AS p
OPTIONAL MATCH (p)-[:AFFILIATED_WITH|SUBMITTED_BY]->(o:Organization)
WITH a, papers, methods, datasets, collect(DISTINCT o.name) AS organizations
OPTIONAL MATCH (a)-[:CO_AUTHOR]->(c:Author)
WITH a, papers, methods, datasets, organizations, collect(DISTINCT c.name) AS coauthors
RETURN a.name AS author, [p IN papers | p.title] AS papers, methods, datasets, organizations, coauthors
LIMIT 1
