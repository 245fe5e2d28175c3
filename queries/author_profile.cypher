// name: author_profile
// description: An author's papers, the methods they proposed, the datasets they used, organisations and co-authors.
// param author: author - the author
// param limit: integer = 100 - at most this many items in each list
// columns: author, papers, methods, datasets, organizations, coauthors
MATCH (a:Author {key: $author})
OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
WITH a, collect(p.title)[..$limit] AS papers
OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:PROPOSES]->(m:Method)
WITH a, papers, collect(DISTINCT m.name)[..$limit] AS methods
OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:EVALUATED_ON|INTRODUCES]->(d:Dataset)
WITH a, papers, methods, collect(DISTINCT d.name)[..$limit] AS datasets
OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:AFFILIATED_WITH|SUBMITTED_BY]->(o:Organization)
WITH a, papers, methods, datasets, collect(DISTINCT o.name)[..$limit] AS organizations
OPTIONAL MATCH (a)-[:CO_AUTHOR]->(c:Author)
WITH a, papers, methods, datasets, organizations, collect(DISTINCT c.name)[..$limit] AS coauthors
RETURN a.name AS author, papers, methods, datasets, organizations, coauthors
LIMIT 1
