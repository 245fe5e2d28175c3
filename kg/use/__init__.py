"""Using the graph: read it into networkx (``read``), analyse it, export it (Gephi, neo4j-admin),
as RDF, in the browser (``view``) and as figures (``plots``)."""
