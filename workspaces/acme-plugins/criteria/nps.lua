-- nps (Acme): Acme reports 8 as a promoter, unlike the textbook bands of the bundled `nps` plugin, which this one
-- shadows in every workspace that lists the acme library (`seg plugins list` shows it; a definition that wants the
-- bundled one writes `library: segwork`).
--
--   nps_score >= 8   -> "Promoter"     nps_score <= 6 -> "Detractor"     7 -> "Passive"     missing -> nil

return {
  api = 1,
  kind = "criterion",
  name = "nps",
  version = "2.0.0",
  description = "Acme's NPS groups: 8 and up promote",
  uses = { "nps_score" },
  params = { promoter_min = 8, detractor_max = 6 },

  assign = function(row, p)
    local s = row.nps_score
    if s == nil then return nil end
    if s >= p.promoter_min then return "Promoter" end
    if s <= p.detractor_max then return "Detractor" end
    return "Passive"
  end,
}
