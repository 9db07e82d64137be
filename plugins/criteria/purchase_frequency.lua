-- purchase_frequency: how often a customer buys, from the number of orders (the rfm feature's `frequency`).
--
--   frequency missing (never bought)  -> none_label ("No orders"; "" = unassigned)
--   frequency < 2                     -> "One-time"
--   2 <= frequency < 5                -> "Occasional"
--   5 <= frequency < 10               -> "Regular"
--   frequency >= 10                   -> "Frequent"
-- Bounds are lower-inclusive (exactly 5 orders is Regular); change them with bounds and labels.
-- A negative frequency, or text that is not a number, is an error. frequency is a count over the whole history up
-- to the reference date:
-- divide by tenure yourself (a scorer) if you need a rate.
local bands = require "bands"
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "purchase_frequency",
  version = "1.1.0",
  description = "One-time, Occasional, Regular or Frequent buyers from their order count",
  uses = { "frequency" },
  params = {
    bounds = { 2, 5, 10 },                                   -- a band starts at each order count
    labels = { "One-time", "Occasional", "Regular", "Frequent" },
    none_label = "No orders",                                -- frequency missing; "" leaves it unassigned
  },
  labels = { "One-time", "Occasional", "Regular", "Frequent", "No orders" },
  descriptions = {
    ["One-time"] = "Has ordered once",
    Occasional = "Has ordered a few times",
    Regular = "Orders regularly",
    Frequent = "Orders often: the most orders",
    ["No orders"] = "Has never ordered",
  },

  prepare = function(_, p)
    bands.check(p.bounds, p.labels, "purchase_frequency", "bounds", "labels")
  end,

  assign = function(row, p)
    local f = segutil.number(row, "frequency", "purchase_frequency")
    if f == nil then
      if p.none_label == "" then return nil end
      return p.none_label
    end
    if f < 0 then error("purchase_frequency: frequency " .. tostring(f) .. " is negative; fix or filter this row") end
    return bands.label(p.bounds, p.labels, f)
  end,
}
