-- Cases for clusters (run: seg plugins test plugins clusters). Format: docs/PLUGINS.md, "Testing plugins".
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "the readable label by default", row = { cluster = 2, cluster_label = "high monetary, high frequency" },
    label = "high monetary, high frequency" },
  { name = "style number gives Cluster <id>", row = { cluster = 3, cluster_label = "typical" },
    params = { style = "number" }, label = "Cluster 3" },
  { name = "the prefix is a parameter", row = { cluster = 1, cluster_label = "typical" },
    params = { style = "number", prefix = "Group " }, label = "Group 1" },
  { name = "an unclustered customer is unassigned", row = {}, none = true },
  { name = "unclustered in number style too", row = {}, params = { style = "number" }, none = true },
  { name = "an id without a label is an error", row = { cluster = 4 }, error = "cluster 4 has no label" },
  { name = "prepare refuses an unknown style", row = { cluster = 1, cluster_label = "typical" },
    params = { style = "letters" }, error = "style must be \"label\" or \"number\"" },
  { name = "an id that is not a number", row = { cluster = "one", cluster_label = "x" }, params = { style = "number" }, error = "clusters: cluster must be a number, got text 'one'" },
  },
}
