-- value_tier: Acme's value tiers from a customer's spend in the period.
--
--   monetary <  edges[1] (250)        -> "Bronze"
--   edges[1] <= monetary < edges[2]   -> "Silver"
--   monetary >= edges[2] (1000)       -> "Gold"
--   no purchase (monetary missing)    -> "Prospect"
-- Edges and labels are params; `prepare` checks they fit together (acme.bands).

local bands = require "acme.bands"

return {
  api = 1,
  kind = "criterion",
  name = "value_tier",
  version = "1.2.0",
  description = "Bronze, Silver or Gold by spend; Prospect without purchases",
  uses = { "monetary" },
  params = {
    edges = { 250, 1000 },
    labels = { "Bronze", "Silver", "Gold" },
    prospect_label = "Prospect",
  },

  prepare = function(_, p)
    bands.check(p.edges, p.labels, "value_tier")
  end,

  assign = function(row, p)
    if row.monetary == nil then return p.prospect_label end
    return bands.find(row.monetary, p.edges, p.labels)
  end,
}
