-- dominant_category: the product category a customer spends most on, from per-category spend columns.
--
-- Columns: spend_electronics, spend_fashion, spend_home, spend_beauty, spend_sports (amounts over one period).
-- categories lists which of them count, with their labels, in tie-break order (see plugins/lib/category_spend.lua):
--   every listed column missing                  -> nil (unassigned: no spend data)
--   no positive spend in any listed column       -> none_label ("No category spend"; "" = unassigned)
--   the largest share < mixed_below_share (0)    -> mixed_label ("Mixed"; off by default)
--   otherwise                                    -> the label of the category with the largest spend;
--                                                   equal spend goes to the category listed first
-- A missing spend reads as 0 when other columns have values; negative spend counts as 0.
-- Data with other categories or column names: map them onto these columns with `columns:` and relabel them in
-- categories; a dataset with fewer categories lists fewer (the unused columns still need a mapping: map them to one
-- of yours and leave them out of categories).
local category_spend = require "category_spend"

local USES = { "spend_electronics", "spend_fashion", "spend_home", "spend_beauty", "spend_sports" }

return {
  api = 1,
  kind = "criterion",
  name = "dominant_category",
  version = "1.1.0",
  description = "The category with the largest spend (ties: first listed), from per-category spend columns",
  uses = USES,
  params = {
    categories = {
      { column = "spend_electronics", label = "Electronics" },
      { column = "spend_fashion", label = "Fashion" },
      { column = "spend_home", label = "Home" },
      { column = "spend_beauty", label = "Beauty" },
      { column = "spend_sports", label = "Sports" },
    },
    mixed_below_share = 0,             -- a top share below this (e.g. 0.4) gives mixed_label; 0 = never
    mixed_label = "Mixed",
    none_label = "No category spend",  -- nothing spent; "" leaves them unassigned
  },
  labels = { "Electronics", "Fashion", "Home", "Beauty", "Sports", "No category spend" },  -- and mixed_label when on
  descriptions = {
    Electronics = "Spends most on electronics",
    Fashion = "Spends most on fashion",
    Home = "Spends most on home goods",
    Beauty = "Spends most on beauty",
    Sports = "Spends most on sports",
    ["No category spend"] = "Has no positive spend in any category",
  },

  prepare = function(_, p)
    category_spend.check(p, USES, "dominant_category")
    if not (p.mixed_below_share >= 0 and p.mixed_below_share < 1) then
      error("dominant_category: mixed_below_share must be at least 0 and below 1, got "
        .. tostring(p.mixed_below_share))
    end
  end,

  assign = function(row, p)
    local label, spend, total = category_spend.dominant(row, p, "dominant_category")
    if total == nil then return nil end
    if label == nil then
      if p.none_label == "" then return nil end
      return p.none_label
    end
    if spend / total < p.mixed_below_share then return p.mixed_label end
    return label
  end,
}
