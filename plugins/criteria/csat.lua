-- csat: customer satisfaction bands from a CSAT answer on a 1-5 scale ("How satisfied were you?").
--
--   csat_score >= satisfied_min (4)          -> "Satisfied"     (4 and 5: the usual CSAT "top two boxes")
--   csat_score <= dissatisfied_max (2)       -> "Dissatisfied"  (1 and 2)
--   anything in between (3)                  -> "Neutral"
--   csat_score missing                       -> nil (unassigned: no answer)
--   csat_score outside 1..scale_max (5)      -> error naming the value (bad data must be fixed, not hidden)
-- Fractional scores (an average of several answers) are compared as numbers: 3.5 is Neutral with the defaults.
-- For a 1-7 or 1-10 scale set scale_max and the two thresholds. A score that is text but not a number is an error.
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "csat",
  version = "1.1.0",
  description = "Satisfied, Neutral or Dissatisfied from a 1-5 CSAT score",
  uses = { "csat_score" },
  params = {
    scale_max = 5,          -- answers run from 1 to this
    satisfied_min = 4,      -- this score and above: Satisfied
    dissatisfied_max = 2,   -- this score and below: Dissatisfied
  },
  labels = { "Satisfied", "Neutral", "Dissatisfied" },
  descriptions = {
    Satisfied = "Rated satisfaction in the top boxes (4-5 of 5 by default)",
    Neutral = "Rated satisfaction in the middle of the scale",
    Dissatisfied = "Rated satisfaction low (1-2 of 5 by default)",
  },

  prepare = function(_, p)
    if not (p.dissatisfied_max >= 1 and p.dissatisfied_max < p.satisfied_min and p.satisfied_min <= p.scale_max) then
      error("csat: need 1 <= dissatisfied_max < satisfied_min <= scale_max, got dissatisfied_max = "
        .. tostring(p.dissatisfied_max) .. ", satisfied_min = " .. tostring(p.satisfied_min) .. ", scale_max = "
        .. tostring(p.scale_max))
    end
  end,

  assign = function(row, p)
    local s = segutil.number(row, "csat_score", "csat")
    if s == nil then return nil end
    if not (s >= 1 and s <= p.scale_max) then
      error("csat: csat_score " .. tostring(s) .. " is outside 1-" .. tostring(p.scale_max)
        .. "; fix or filter this row")
    end
    if s >= p.satisfied_min then return "Satisfied" end
    if s <= p.dissatisfied_max then return "Dissatisfied" end
    return "Neutral"
  end,
}
