-- order_value: average order value (AOV = monetary / frequency, the rfm feature's columns) in bands.
--
--   frequency or monetary missing, or frequency 0  -> none_label ("No orders"; "" = unassigned)
--   AOV < 25         -> "Low AOV"
--   25 <= AOV < 75   -> "Mid AOV"
--   75 <= AOV < 150  -> "High AOV"
--   AOV >= 150       -> "Premium AOV"
-- Bounds are lower-inclusive (an AOV of exactly 75 is High AOV). Refunds may make monetary negative: a negative
-- AOV falls in the lowest band. A negative frequency, or text that is not a number, is an error.
local bands = require "bands"
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "order_value",
  version = "1.1.0",
  description = "Average order value (monetary / frequency) bands",
  uses = { "frequency", "monetary" },
  params = {
    bounds = { 25, 75, 150 },                                    -- a band starts at each AOV
    labels = { "Low AOV", "Mid AOV", "High AOV", "Premium AOV" },
    none_label = "No orders",                                    -- no orders; "" leaves them unassigned
  },
  labels = { "Low AOV", "Mid AOV", "High AOV", "Premium AOV", "No orders" },
  descriptions = {
    ["Low AOV"] = "Small baskets: lowest average order value",
    ["Mid AOV"] = "Average order value in the middle band",
    ["High AOV"] = "Large baskets: high average order value",
    ["Premium AOV"] = "The largest baskets: highest average order value",
    ["No orders"] = "Has no orders",
  },

  prepare = function(_, p)
    bands.check(p.bounds, p.labels, "order_value", "bounds", "labels")
  end,

  assign = function(row, p)
    local f = segutil.number(row, "frequency", "order_value")
    local m = segutil.number(row, "monetary", "order_value")
    if f ~= nil and f < 0 then
      error("order_value: frequency " .. tostring(f) .. " is negative; fix or filter this row")
    end
    if f == nil or m == nil or f == 0 then
      if p.none_label == "" then return nil end
      return p.none_label
    end
    return bands.label(p.bounds, p.labels, m / f)
  end,
}
