-- value_tier: customers in value tiers by a money or score column (default `monetary`; map another with
-- `columns: { monetary: value_score }`), for crossing with other views ("High value × Loyal").
--
-- Breakpoints b1 <= b2 <= ... come from
--   method = "quantile": the column's percentiles p[q] for q in quantiles ({50, 80}: the median and the 80th
--                        percentile, numpy's default "linear" / type 7, over the customers with a value), computed
--                        once in `prepare` and recorded with the run as `breaks`;
--   method = "fixed":    thresholds as given ({100, 500}).
-- A tier starts at its breakpoint (lower bound inclusive):
--   value < b1 -> tier_labels[1] ("Low value"),  b1 <= value < b2 -> "Mid value",  value >= b2 -> "High value"
--   value missing (never bought) -> missing_label ("No purchases"; "" = unassigned)
-- With the defaults about half the customers with a value are Low, 30 % Mid and 20 % High; tied values all go to
-- the same tier, so with many ties at a breakpoint the upper tier is larger (and equal breakpoints leave a tier empty).
-- A monetary column read as text (a value that is not a number) is an error naming the value, in prepare and assign.
local segutil = require "segutil"
local bands = require "bands"

return {
  api = 1,
  kind = "criterion",
  name = "value_tier",
  version = "1.1.0",
  description = "Low, Mid or High value tiers by quantile breakpoints or fixed thresholds of a money column",
  uses = { "monetary" },
  params = {
    method = "quantile",                                   -- "quantile" or "fixed"
    quantiles = { 50, 80 },                                -- percentiles (whole numbers 1-99) for "quantile"
    thresholds = { 100, 500 },                             -- breakpoints for "fixed"
    tier_labels = { "Low value", "Mid value", "High value" },
    missing_label = "No purchases",                        -- no value; "" leaves them unassigned
  },
  labels = { "Low value", "Mid value", "High value", "No purchases" },
  descriptions = {
    ["Low value"] = "Lowest spend (below the median by default)",
    ["Mid value"] = "Middle spend",
    ["High value"] = "Highest spend (the top 20 % by default)",
    ["No purchases"] = "Has no spend recorded",
  },

  prepare = function(stats, p)
    local breaks
    if p.method == "fixed" then
      segutil.check_increasing(p.thresholds, "value_tier: thresholds")
      breaks = p.thresholds
    elseif p.method == "quantile" then
      segutil.check_increasing(p.quantiles, "value_tier: quantiles")
      local st = segutil.numeric_stats(stats, "monetary", "value_tier")
      breaks = {}
      for i, q in ipairs(p.quantiles) do
        if math.tointeger(q) == nil or q < 1 or q > 99 then
          error("value_tier: quantiles[" .. i .. "] must be a whole percentile from 1 to 99, got " .. tostring(q))
        end
        if st ~= nil and (st.count or 0) > 0 then breaks[i] = st.p[math.tointeger(q)] end
      end
      if st == nil or (st.count or 0) == 0 then breaks = {} end
    else
      error("value_tier: method must be \"quantile\" or \"fixed\", got \"" .. tostring(p.method) .. "\"")
    end
    local n = (p.method == "fixed") and #p.thresholds or #p.quantiles
    if type(p.tier_labels) ~= "table" or #p.tier_labels ~= n + 1 then
      error("value_tier: tier_labels needs " .. (n + 1) .. " entries (one more than the breakpoints), got "
        .. (type(p.tier_labels) == "table" and #p.tier_labels or 0))
    end
    return { breaks = breaks }
  end,

  assign = function(row, p)
    local v = segutil.number(row, "monetary", "value_tier")
    if v == nil then
      if p.missing_label == "" then return nil end
      return p.missing_label
    end
    return p.tier_labels[bands.index(p.breaks, v)]
  end,
}
