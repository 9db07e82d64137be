-- rfm_segments: segment names from the host's RFM scores (features.rfm with a preset: r_score, f_score,
-- m_score; see docs/RFM.md), with the segment map of the package each preset reproduces.
--
-- segments = "rf_grid" (default): the common 5 x 5 R x F grid (scores 1..5; M is not used):
--
--          F=1             F=2                  F=3                  F=4              F=5
--   R=5    New Customers   Potential Loyalists  Potential Loyalists  Champions        Champions
--   R=4    Promising       Potential Loyalists  Potential Loyalists  Loyal Customers  Loyal Customers
--   R=3    About to Sleep  About to Sleep       Need Attention       Loyal Customers  Loyal Customers
--   R=2    Hibernating     Hibernating          At Risk              At Risk          Can't Lose Them
--   R=1    Lost            Lost                 At Risk              At Risk          Can't Lose Them
--
-- segments = "cran": CRAN rfm 0.3.0's documented example of rfm_segment(): ten R/F/M ranges, the first that
--   holds wins, else "Others".
-- segments = "pymc": pymc-marketing's rfm_segments() default segment_config: the "RFM" digits (quartile
--   scores) looked up in five lists, else "Other".
-- segments = "pypi": PyPI rfm 1.0.9's ten rules (RFM.find_segments), the first that holds wins. They cover every
--   combination of scores 1..5; a customer no rule covers (other bins) is unassigned (nil), as the package
--   leaves the segment empty.
--
-- A customer without scores (no purchase) gets `no_purchase_label` ("No Purchase"; "" leaves them unassigned).
-- Rename labels in the definition with `labels:` (e.g. labels: { "Others": "Unsegmented" }).

local segutil = require "segutil"

-- GRID[r][f] for segments = "rf_grid".
local GRID = {
  [5] = { "New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions" },
  [4] = { "Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers" },
  [3] = { "About to Sleep", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers" },
  [2] = { "Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them" },
  [1] = { "Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them" },
}

-- CRAN rfm: name, then lower and upper bounds of R, F and M (inclusive), in the package example's order.
local CRAN = {
  { "Champions",          5, 5, 5, 5, 5, 5 },
  { "Potential Loyalist", 3, 5, 3, 5, 2, 5 },
  { "Loyal Customers",    2, 4, 2, 4, 2, 4 },
  { "Promising",          3, 4, 1, 3, 3, 5 },
  { "New Customers",      4, 5, 1, 3, 1, 5 },
  { "Can't Lose Them",    1, 2, 3, 4, 4, 5 },
  { "At Risk",            1, 2, 2, 5, 4, 5 },
  { "Need Attention",     1, 3, 3, 5, 3, 5 },
  { "About To Sleep",     2, 3, 1, 3, 1, 4 },
  { "Lost",               1, 1, 1, 5, 1, 5 },
}

-- pymc-marketing: segment -> the "RFM" digit strings it holds.
local PYMC = {
  ["Premium Customer"] = { "334", "443", "444", "344", "434", "433", "343", "333" },
  ["Repeat Customer"] = { "244", "234", "232", "332", "143", "233", "243" },
  ["Top Spender"] = { "424", "414", "144", "314", "324", "124", "224", "423", "413", "133", "323", "313", "134" },
  ["At Risk Customer"] = { "422", "223", "212", "122", "222", "132", "322", "312", "412", "123", "214" },
  ["Inactive Customer"] = { "411", "111", "113", "114", "112", "211", "311" },
}
local PYMC_BY_SCORE = {}
for segment, scores in pairs(PYMC) do
  for _, s in ipairs(scores) do PYMC_BY_SCORE[s] = segment end
end

-- PyPI rfm: name, then the allowed R, F and M scores, in the package's order.
local function set(...)
  local s = {}
  for _, v in ipairs({ ... }) do s[v] = true end
  return s
end
local PYPI = {
  { "Champions",           set(4, 5),    set(4, 5),          set(4, 5) },
  { "Promising",           set(4, 5),    set(1, 2),          set(3, 4, 5) },
  { "Loyal Accounts",      set(3, 4, 5), set(3, 4, 5),       set(3, 4, 5) },
  { "Potential Loyalist",  set(3, 4, 5), set(2, 3),          set(2, 3, 4) },
  { "New Active Accounts", set(5),       set(1),             set(1, 2, 3, 4, 5) },
  { "Low Spenders",        set(3, 4, 5), set(1, 2, 3, 4, 5), set(1, 2) },
  { "Need Attention",      set(2, 3),    set(1, 2),          set(4, 5) },
  { "About to Sleep",      set(2, 3),    set(1, 2),          set(1, 2, 3) },
  { "At Risk",             set(1, 2),    set(1, 2, 3, 4, 5), set(3, 4, 5) },
  { "Lost",                set(1, 2),    set(1, 2, 3, 4, 5), set(1, 2) },
}

local MAPS = {
  rf_grid = function(r, f)
    local row = GRID[r]
    if row == nil or row[f] == nil then
      error(string.format("rfm_segments: segments \"rf_grid\" needs R and F scores from 1 to 5, got R=%s F=%s; " ..
        "use 5 bins (features.rfm.bins)", tostring(r), tostring(f)))
    end
    return row[f]
  end,
  cran = function(r, f, m)
    for _, s in ipairs(CRAN) do
      if r >= s[2] and r <= s[3] and f >= s[4] and f <= s[5] and m >= s[6] and m <= s[7] then return s[1] end
    end
    return "Others"
  end,
  pymc = function(r, f, m)
    return PYMC_BY_SCORE[string.format("%d%d%d", r, f, m)] or "Other"
  end,
  pypi = function(r, f, m)
    for _, s in ipairs(PYPI) do
      if s[2][r] and s[3][f] and s[4][m] then return s[1] end
    end
    return nil
  end,
}

return {
  api = 1,
  kind = "criterion",
  name = "rfm_segments",
  version = "1.1.0",
  description = "RFM segments from the host's R, F and M scores with a package's map (rf_grid, cran, pymc, pypi)",
  uses = { "r_score", "f_score", "m_score" },
  params = {
    segments = "rf_grid",               -- "rf_grid", "cran", "pymc" or "pypi"
    no_purchase_label = "No Purchase",  -- label for customers without scores; "" leaves them unassigned
  },
  -- No `labels` list: the four maps have different labels, and a run's checks would report the other maps'
  -- labels as never returned. Each map's labels are in docs/RFM.md.

  prepare = function(stats, p)
    if MAPS[p.segments] == nil then
      error("rfm_segments: segments must be \"rf_grid\", \"cran\", \"pymc\" or \"pypi\", got \"" ..
        tostring(p.segments) .. "\"")
    end
    -- The maps are written for a score scale (pymc: 1..4, the others 1..5). Scores on another scale would still
    -- look up a cell -- the wrong one (with 4 bins the best recency would read as "Promising") -- so refuse them:
    -- a score above the scale, or, with at least as many scored customers as bins, a top score below it (ranked
    -- scores always reach the top bin then; the shared scores of cran_rfm and the merged bins of pymc_marketing
    -- may not, so those maps are checked only for scores above the scale).
    local top = p.segments == "pymc" and 4 or 5
    local ranked = p.segments == "rf_grid" or p.segments == "pypi"
    local r = stats and stats.r_score
    if r and r.max and (r.max > top or (ranked and r.count >= top and r.max < top)) then
      error(string.format("rfm_segments: segments \"%s\" reads scores 1 to %d, but r_score goes up to %s; " ..
        "score with %d bins (features.rfm.bins), or choose the segments of your preset", p.segments, top,
        tostring(math.tointeger(r.max) or r.max), top))
    end
    return nil
  end,

  assign = function(row, p)
    local r = segutil.number(row, "r_score", "rfm_segments")
    local f = segutil.number(row, "f_score", "rfm_segments")
    local m = segutil.number(row, "m_score", "rfm_segments")
    if r == nil or f == nil or m == nil then
      if p.no_purchase_label == "" then return nil end
      return p.no_purchase_label
    end
    return MAPS[p.segments](r, f, m)
  end,
}
