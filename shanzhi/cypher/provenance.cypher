// title: 数据来源 — Where a dataset's records came from
// answers: For each source file of a dataset (grids.csv, relations.csv, a ledger …): how many nodes
//          of each label and relations of each type it gave, and from which lines (the provenance
//          every record keeps: source_file, source_line). One file, or every file. (Records carry
//          no load time yet, so "what changed in the last load" is what `shanzhi load` reports.)
// param: dataset: string = gonghexinlu — the dataset
// param: source_file: string? = relations.csv — one source file (as the records name it); null: all
// returns: source_file, what (node|relation), kind (the node label or relation type), records,
//          first_line, last_line
CALL () {
  MATCH (n:Entity {dataset: $dataset})
  WHERE $source_file IS NULL OR n.source_file = $source_file
  RETURN n.source_file AS source_file, 'node' AS what,
         [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, n.source_line AS line
  UNION ALL
  MATCH (:Entity {dataset: $dataset})-[r]->()
  WHERE r.dataset = $dataset AND ($source_file IS NULL OR r.source_file = $source_file)
  RETURN r.source_file AS source_file, 'relation' AS what, type(r) AS kind, r.source_line AS line
}
RETURN source_file, what, kind, count(*) AS records, min(line) AS first_line,
       max(line) AS last_line
ORDER BY source_file, what, kind
