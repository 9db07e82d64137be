-- category_affinity: a cross-sell suggestion "<dominant category> → <next category>", e.g. "Electronics → Home".
--
-- The dominant category is found as in dominant_category (same columns, categories and tie rule). affinity maps a
-- category to the categories to suggest next, best first. The suggestion is the first of them the customer does
-- not already buy: a target that is one of the categories counts as bought when its spend is at least
-- owned_min_share (0.1) of the customer's total; a target that is not one of the categories (e.g. "Accessories")
-- is never bought.
--   every listed column missing                  -> nil (unassigned)
--   no positive spend                            -> none_label ("No category spend"; "" = unassigned)
--   no affinity for the dominant category, or every target already bought
--                                                -> "<dominant> → (none)"
--   otherwise                                    -> "<dominant> → <target>"
local category_spend = require "category_spend"

local USES = { "spend_electronics", "spend_fashion", "spend_home", "spend_beauty", "spend_sports" }

return {
  api = 1,
  kind = "criterion",
  name = "category_affinity",
  version = "1.1.0",
  description = "Cross-sell suggestion \"Electronics → Home\" from the dominant category and an affinity map",
  uses = USES,
  params = {
    categories = {
      { column = "spend_electronics", label = "Electronics" },
      { column = "spend_fashion", label = "Fashion" },
      { column = "spend_home", label = "Home" },
      { column = "spend_beauty", label = "Beauty" },
      { column = "spend_sports", label = "Sports" },
    },
    affinity = {                                 -- category -> what to suggest next, best first
      Electronics = { "Home", "Sports" },
      Fashion = { "Beauty", "Sports" },
      Home = { "Electronics", "Fashion" },
      Beauty = { "Fashion", "Home" },
      Sports = { "Fashion", "Electronics" },
    },
    owned_min_share = 0.1,                       -- a target with this share of spend or more is already bought
    none_label = "No category spend",            -- nothing spent; "" leaves them unassigned
  },

  prepare = function(_, p)
    category_spend.check(p, USES, "category_affinity")
    if not (p.owned_min_share > 0 and p.owned_min_share <= 1) then
      error("category_affinity: owned_min_share must be above 0 and at most 1, got " .. tostring(p.owned_min_share))
    end
    local keys = {}
    for k in pairs(p.affinity) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local targets = p.affinity[k]
      if type(targets) ~= "table" then
        error("category_affinity: affinity." .. k .. " must be a list of categories, e.g. { \"Home\" }")
      end
      for i, t in ipairs(targets) do
        if type(t) ~= "string" or t == "" or t == k then
          error("category_affinity: affinity." .. k .. "[" .. i .. "] must name another category")
        end
      end
    end
  end,

  assign = function(row, p)
    local label, _, total = category_spend.dominant(row, p, "category_affinity")
    if total == nil then return nil end
    if label == nil then
      if p.none_label == "" then return nil end
      return p.none_label
    end
    for _, target in ipairs(p.affinity[label] or {}) do
      local spend = category_spend.spend_of(row, p, target, "category_affinity")
      if spend == nil or spend / total < p.owned_min_share then
        return label .. " → " .. target
      end
    end
    return label .. " → (none)"
  end,
}
