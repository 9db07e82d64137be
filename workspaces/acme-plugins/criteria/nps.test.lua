-- Cases for Acme's nps (run: seg plugins test workspaces/acme-plugins nps). Format: docs/PLUGINS.md.
return {
  { name = "8 promotes at Acme", row = { nps_score = 8 }, label = "Promoter" },
  { name = "7 is passive", row = { nps_score = 7 }, label = "Passive" },
  { name = "6 detracts", row = { nps_score = 6 }, label = "Detractor" },
  { name = "no answer is unassigned", row = {}, none = true },
}
