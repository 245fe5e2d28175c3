// name: author_profile
// description: An author's papers, the methods they proposed, the datasets they used, organisations and co-authors.
// param author: author - the author
// columns: author, papers, methods, datasets, organizations, coauthors
MATCH (a:Author {key: $author})
OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
WITH a, collect(DISTINCT p) AS papers
OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:PROPOSES]->(m:Method)
WITH a, papers, collect(DISTINCT m.name) AS methods
OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:EVALUATED_ON|INTRODUCES]->(d:Dataset)
WITH a, papers, methods, collect(DISTINCT d.name) AS datasets
OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:AFFILIATED_WITH|SUBMITTED_BY]->(o:Organization)
WITH a, papers, methods, datasets, collect(DISTINCT o.name) AS organizations
OPTIONAL MATCH (a)-[:CO_AUTHOR]->(c:Author)
WITH a, papers, methods, datasets, organizations, collect(DISTINCT c.name) AS coauthors
RETURN a.name AS author, [p IN papers | p.title] AS papers, methods, datasets, organizations, coauthors
LIMIT 1
