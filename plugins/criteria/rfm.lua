-- rfm: RFM segments from recency, frequency and monetary quintile scores.
--
-- Scores (1..5), from quintile breakpoints b1..b4 = p[20], p[40], p[60], p[80] of each column,
-- computed once in `prepare` and recorded in the run as r_breaks, f_breaks, m_breaks:
--   F and M (higher is better): score = 1 + (number of breakpoints strictly below the value).
--       A value equal to a breakpoint gets the LOWER of the two scores it separates:
--       v <= b1 -> 1, b1 < v <= b2 -> 2, b2 < v <= b3 -> 3, b3 < v <= b4 -> 4, v > b4 -> 5.
--   R (recency_days, lower is better): score = 5 - (number of breakpoints strictly below the value).
--       A recency equal to a breakpoint gets the HIGHER of the two scores it separates:
--       r <= b1 -> 5, b1 < r <= b2 -> 4, b2 < r <= b3 -> 3, b3 < r <= b4 -> 2, r > b4 -> 1.
--
-- Segment (mode = "segment", the default) depends on R and F only; every cell maps to one label:
--
--          F=1              F=2                 F=3                 F=4               F=5
--   R=5    New              Potential Loyalist  Potential Loyalist  Champions         Champions
--   R=4    Promising        Potential Loyalist  Potential Loyalist  Loyal             Loyal
--   R=3    About to Sleep   About to Sleep      Need Attention      Loyal             Loyal
--   R=2    Hibernating      Hibernating         At Risk             At Risk           Cannot Lose Them
--   R=1    Lost             Lost                At Risk             At Risk           Cannot Lose Them
--
-- mode = "scores" returns the score cell instead, e.g. "R5 F4 M3" (sorts by R, then F, then M).
--
-- No purchase: a customer whose recency_days or frequency is missing, or whose frequency is 0 or
-- less, gets `no_purchase_label` ("No Purchase" by default; set it to "" to leave them unassigned).
-- In mode "scores", a buyer whose monetary is missing is unassigned (nil).

local segutil = require "segutil"

-- GRID[r][f]: the segment of the cell with recency score r and frequency score f.
local GRID = {
  [5] = { "New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions" },
  [4] = { "Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal" },
  [3] = { "About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal" },
  [2] = { "Hibernating", "Hibernating", "At Risk", "At Risk", "Cannot Lose Them" },
  [1] = { "Lost", "Lost", "At Risk", "At Risk", "Cannot Lose Them" },
}

return {
  api = 1,
  kind = "criterion",
  name = "rfm",
  version = "1.1.0",
  description = "RFM segments (Champions ... Lost) from recency and frequency quintile scores",
  uses = { "recency_days", "frequency", "monetary" },
  params = {
    mode = "segment",               -- "segment": the R x F grid label; "scores": "R5 F4 M3"
    no_purchase_label = "No Purchase", -- label for customers who never bought; "" leaves them unassigned
  },
  -- The labels of mode "segment" (the grid) with the default no_purchase_label; mode "scores" returns "R5 F4 M3".
  labels = { "Champions", "Loyal", "Potential Loyalist", "New", "Promising", "Need Attention", "About to Sleep",
    "At Risk", "Cannot Lose Them", "Hibernating", "Lost", "No Purchase" },
  descriptions = {
    Champions = "Bought recently and buy often",
    Loyal = "Buy often; bought fairly recently",
    ["Potential Loyalist"] = "Bought recently, a few times: could become loyal",
    New = "Bought very recently, with few orders so far",
    Promising = "Bought recently, with few orders so far",
    ["Need Attention"] = "Middling recency and frequency: could slip away",
    ["About to Sleep"] = "Have not bought for a while, and rarely did",
    ["At Risk"] = "Bought often, but not for a long time",
    ["Cannot Lose Them"] = "Bought most often, but not for a long time: win them back",
    Hibernating = "Long since the last order, and few orders",
    Lost = "Longest since the last order, and fewest orders",
    ["No Purchase"] = "Never bought",
  },

  prepare = function(stats, p)
    if p.mode ~= "segment" and p.mode ~= "scores" then
      error("rfm: mode must be \"segment\" or \"scores\", got \"" .. tostring(p.mode) .. "\"")
    end
    return {
      r_breaks = segutil.quintile_breaks(stats, "recency_days", "rfm"),
      f_breaks = segutil.quintile_breaks(stats, "frequency", "rfm"),
      m_breaks = segutil.quintile_breaks(stats, "monetary", "rfm"),
    }
  end,

  assign = function(row, p)
    if p.r_breaks == nil then
      error("rfm: breakpoints are missing; prepare(stats, p) must run before assign")
    end
    local recency = segutil.number(row, "recency_days", "rfm")
    local frequency = segutil.number(row, "frequency", "rfm")
    if recency == nil or frequency == nil or frequency <= 0 then
      if p.no_purchase_label == "" then return nil end
      return p.no_purchase_label
    end
    local r = segutil.score_down(p.r_breaks, recency)
    local f = segutil.score_up(p.f_breaks, frequency)
    if p.mode == "scores" then
      local monetary = segutil.number(row, "monetary", "rfm")
      if monetary == nil then return nil end
      local m = segutil.score_up(p.m_breaks, monetary)
      return string.format("R%d F%d M%d", r, f, m)
    end
    return GRID[r][f]
  end,
}
