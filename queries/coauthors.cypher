// name: coauthors
// description: An author's co-authors, ranked by joint papers, with the papers.
// param author: author - the author, as typed ("Li Dong", "li dong") or a key from kg authors
// param limit: integer = 25 - at most this many co-authors
// columns: coauthor, joint_papers, papers
MATCH (a:Author {key: $author})-[c:CO_AUTHOR]->(b:Author)
WITH b, c  // a look-up per row; without it FalkorDB joins against a scan of every paper
MATCH (p:Paper {key: c.paper})
WITH b, collect(DISTINCT p.title) AS papers
RETURN b.name AS coauthor, size(papers) AS joint_papers, papers
ORDER BY joint_papers DESC, coauthor
LIMIT $limit
