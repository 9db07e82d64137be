-- category_breadth: how many product categories a customer buys from (a count column, n_categories).
--
--   n_categories missing         -> nil (unassigned: unknown)
--   n_categories < 1 (0)         -> "No categories"
--   1                            -> "Single-category"
--   2 <= n_categories < 4        -> "Multi-category"
--   n_categories >= 4            -> "Broad"
-- Bounds are lower-inclusive (exactly 4 categories is Broad). A negative count, or text that is not a number, is
-- an error.
local bands = require "bands"
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "category_breadth",
  version = "1.1.0",
  description = "Single-category, Multi-category or Broad buyers from their number of categories",
  uses = { "n_categories" },
  params = {
    bounds = { 1, 2, 4 },                                                -- a band starts at each count
    labels = { "No categories", "Single-category", "Multi-category", "Broad" },
  },
  labels = { "No categories", "Single-category", "Multi-category", "Broad" },
  descriptions = {
    ["No categories"] = "Has bought from no product category",
    ["Single-category"] = "Buys from one product category only",
    ["Multi-category"] = "Buys from a few product categories",
    Broad = "Buys across many product categories",
  },

  prepare = function(_, p)
    bands.check(p.bounds, p.labels, "category_breadth", "bounds", "labels")
  end,

  assign = function(row, p)
    local n = segutil.number(row, "n_categories", "category_breadth")
    if n == nil then return nil end
    if n < 0 then error("category_breadth: n_categories " .. tostring(n) .. " is negative; fix or filter this row") end
    return bands.label(p.bounds, p.labels, n)
  end,
}
