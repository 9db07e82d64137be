-- Cases for value_tier (run: seg plugins test workspaces/acme-plugins). Format: docs/PLUGINS.md, "Testing plugins".
return {
  { name = "below the first edge is Bronze", row = { monetary = 249.99 }, label = "Bronze" },
  { name = "an edge belongs to the band above it", row = { monetary = 250 }, label = "Silver" },
  { name = "1000 is Gold", row = { monetary = 1000 }, label = "Gold" },
  { name = "zero spend is Bronze", row = { monetary = 0 }, label = "Bronze" },
  { name = "no purchases is a prospect", row = {}, label = "Prospect" },
  { name = "edges and labels are params", row = { monetary = 600 },
    params = { edges = { 500, 2000 }, labels = { "Low", "Mid", "High" } }, label = "Mid" },
  { name = "edges must ascend", row = { monetary = 1 }, params = { edges = { 1000, 250 } },
    error = "edges must ascend strictly" },
  { name = "one more label than edges", row = { monetary = 1 }, params = { labels = { "A", "B" } },
    error = "need 3 labels for 2 edges, got 2" },
}
