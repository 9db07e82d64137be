-- clusters: segments from the clustering feature (`features.clusters`, docs/CLUSTERING.md).
--
--   style = "label"   (default) -> the cluster's readable label ("high monetary, low recency_days")
--   style = "number"             -> prefix .. id ("Cluster 1", "Cluster 2", ...)
--   cluster missing              -> nil (unassigned: a clustering column was missing for this customer)
-- Rename either style with `labels:` in the definition. The clustering's model (k, silhouette, each cluster's id,
-- label, size and centroid) is in stats.cluster.clusters during prepare; this criterion needs only the columns.
-- With `features.clusters.output` other than `cluster`, map the fields: columns: { cluster: <output>,
-- cluster_label: <output>_label }.
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "clusters",
  version = "1.1.0",
  description = "Segments from features.clusters: its readable labels, or Cluster 1, Cluster 2, ...",
  uses = { "cluster", "cluster_label" },
  params = {
    style = "label",       -- "label" or "number"
    prefix = "Cluster ",   -- before the id when style = "number"
  },

  prepare = function(_, p)
    if p.style ~= "label" and p.style ~= "number" then
      error("clusters: style must be \"label\" or \"number\", got \"" .. tostring(p.style) .. "\"")
    end
  end,

  assign = function(row, p)
    local id = segutil.number(row, "cluster", "clusters")
    if id == nil then return nil end
    if p.style == "number" then
      local whole = math.tointeger(id)
      if whole == nil then error("clusters: cluster id " .. tostring(id) .. " is not a whole number") end
      return p.prefix .. tostring(whole)
    end
    if row.cluster_label == nil then error("clusters: cluster " .. tostring(id) .. " has no label") end
    return row.cluster_label
  end,
}
