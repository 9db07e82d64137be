-- nps: Net Promoter groups from a 0-10 "how likely are you to recommend us" score.
--
--   nps_score >= promoter_min (9)           -> "Promoter"
--   nps_score <= detractor_max (6)          -> "Detractor"
--   anything in between                     -> "Passive"
--   nps_score missing                       -> nil (unassigned: no answer)
--   nps_score outside 0..10                 -> error naming the value (bad data must be fixed, not hidden)
-- Fractional scores are allowed and compared as numbers (6.5 is Passive with the defaults).
-- `prepare` checks 0 <= detractor_max < promoter_min <= 10. A score that is text but not a number is an error.
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "nps",
  version = "1.1.0",
  description = "Promoters, passives and detractors from a 0-10 score",
  uses = { "nps_score" },
  params = {
    promoter_min = 9,    -- this score and above: Promoter
    detractor_max = 6,   -- this score and below: Detractor
  },
  labels = { "Promoter", "Passive", "Detractor" },
  descriptions = {
    Promoter = "Would recommend us (9-10 by default)",
    Passive = "Satisfied but not enthusiastic (7-8 by default)",
    Detractor = "Unhappy; may speak against us (0-6 by default)",
  },

  prepare = function(_, p)
    if not (p.detractor_max >= 0 and p.detractor_max < p.promoter_min and p.promoter_min <= 10) then
      error("nps: need 0 <= detractor_max < promoter_min <= 10, got detractor_max = "
        .. tostring(p.detractor_max) .. ", promoter_min = " .. tostring(p.promoter_min))
    end
  end,

  assign = function(row, p)
    local s = segutil.number(row, "nps_score", "nps")
    if s == nil then return nil end
    if not (s >= 0 and s <= 10) then
      error("nps: nps_score " .. tostring(s) .. " is outside 0-10; fix or filter this row")
    end
    if s >= p.promoter_min then return "Promoter" end
    if s <= p.detractor_max then return "Detractor" end
    return "Passive"
  end,
}
