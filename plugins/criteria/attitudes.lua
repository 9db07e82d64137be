-- attitudes: a psychographic (needs/attitude) segment from Likert survey items, e.g. "Quality-seeker".
--
-- Columns: likert_1 .. likert_6, answers on a 1..scale_max (5) agreement scale; map your items onto them with
-- `columns:` (an unused one may map to any column of yours that is left out of dimensions).
-- dimensions groups items: { label = "Price-conscious", items = { "likert_1", "likert_2" } }, ... in tie-break order.
--   1. An item in `reverse` is reverse-coded first: v -> scale_max + 1 - v (5 -> 1).
--   2. A dimension's score is the mean of its ANSWERED items; it has no score unless at least
--      min_answered_share (0.5) of its items are answered (1 of 2 is enough with the default).
--   3. No dimension has a score (all answers missing)          -> nil (unassigned)
--   4. The dimension with the highest score, if that score >= agree_min (4.0); equal scores go to the dimension
--      listed first                                               -> its label
--   5. Otherwise                                                 -> neutral_label ("No strong attitude")
-- An answer outside 1..scale_max, or text that is not a number, is an error naming the item and value.
local segutil = require "segutil"
local USES = { "likert_1", "likert_2", "likert_3", "likert_4", "likert_5", "likert_6" }

return {
  api = 1,
  kind = "criterion",
  name = "attitudes",
  version = "1.1.0",
  description = "Attitude segment from Likert items: the dimension with the highest mean agreement",
  uses = USES,
  params = {
    dimensions = {
      { label = "Price-conscious", items = { "likert_1", "likert_2" } },
      { label = "Quality-seeker", items = { "likert_3", "likert_4" } },
      { label = "Eco-minded", items = { "likert_5", "likert_6" } },
    },
    reverse = {},                       -- reverse-coded items, e.g. { "likert_2" }
    scale_max = 5,                      -- answers run from 1 to this
    agree_min = 4.0,                    -- a dimension needs at least this mean to decide the segment
    min_answered_share = 0.5,           -- share of a dimension's items that must be answered
    neutral_label = "No strong attitude",
  },
  labels = { "Price-conscious", "Quality-seeker", "Eco-minded", "No strong attitude" },
  descriptions = {
    ["Price-conscious"] = "Agrees most with the price items: looks for deals and value for money",
    ["Quality-seeker"] = "Agrees most with the quality items: pays for better products",
    ["Eco-minded"] = "Agrees most with the sustainability items: cares how products are made",
    ["No strong attitude"] = "Answered, but agrees with no group of items strongly enough",
  },

  prepare = function(_, p)
    local allowed, used = {}, {}
    for _, c in ipairs(USES) do allowed[c] = true end
    if type(p.dimensions) ~= "table" or #p.dimensions == 0 then
      error("attitudes: dimensions must be a non-empty list of { label = ..., items = { ... } }")
    end
    for i, d in ipairs(p.dimensions) do
      if type(d) ~= "table" or type(d.label) ~= "string" or d.label == "" or type(d.items) ~= "table"
          or #d.items == 0 then
        error("attitudes: dimensions[" .. i .. "] must be { label = \"X\", items = { \"likert_1\", ... } }")
      end
      for _, item in ipairs(d.items) do
        if not allowed[item] then
          error("attitudes: dimensions[" .. i .. "] names item '" .. tostring(item) .. "'; items are "
            .. table.concat(USES, ", ") .. " (map your columns onto them with `columns:`)")
        end
        if used[item] then error("attitudes: item '" .. item .. "' belongs to two dimensions") end
        used[item] = true
      end
    end
    local reversed = {}
    for _, item in ipairs(p.reverse) do
      if not allowed[item] then
        error("attitudes: reverse names item '" .. tostring(item) .. "', not one of the items")
      end
      reversed[item] = true
    end
    if not (p.scale_max >= 2 and p.agree_min >= 1 and p.agree_min <= p.scale_max) then
      error("attitudes: need scale_max >= 2 and 1 <= agree_min <= scale_max, got scale_max = "
        .. tostring(p.scale_max) .. ", agree_min = " .. tostring(p.agree_min))
    end
    if not (p.min_answered_share > 0 and p.min_answered_share <= 1) then
      error("attitudes: min_answered_share must be above 0 and at most 1, got " .. tostring(p.min_answered_share))
    end
    return { reversed = reversed }
  end,

  assign = function(row, p)
    local best_label, best_score, any = nil, nil, false
    for _, d in ipairs(p.dimensions) do
      local sum, answered = 0, 0
      for _, item in ipairs(d.items) do
        local v = segutil.number(row, item, "attitudes")
        if v ~= nil then
          if not (v >= 1 and v <= p.scale_max) then
            error("attitudes: " .. item .. " is " .. tostring(v) .. ", outside 1-" .. tostring(p.scale_max)
              .. "; fix or filter this row")
          end
          if p.reversed[item] then v = p.scale_max + 1 - v end
          sum, answered = sum + v, answered + 1
        end
      end
      if answered > 0 and answered >= p.min_answered_share * #d.items then
        any = true
        local score = sum / answered
        if best_score == nil or score > best_score then best_label, best_score = d.label, score end
      end
    end
    if not any then return nil end
    if best_score >= p.agree_min then return best_label end
    return p.neutral_label
  end,
}
