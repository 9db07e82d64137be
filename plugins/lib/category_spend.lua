-- category_spend: per-category spend columns -> the dominant category, shared by dominant_category and
-- category_affinity. Load it with `local category_spend = require "category_spend"`.
--
-- `p.categories` lists the categories as { column = "spend_electronics", label = "Electronics" }, in tie-break
-- order. A missing spend reads as 0; a customer with every listed column missing has no spend data (nil).
-- Negative spend (net refunds) counts as 0 towards the dominant category and the total.
-- The dominant category has the largest spend; ties go to the category listed FIRST. Spend arriving as text holding a
-- number counts as that number; other text is an error naming the column and value.

local segutil = require "segutil"

local category_spend = {}

--- Errors unless `p.categories` is a non-empty list of { column = <one of uses>, label = <non-empty> }, each column
--- and label once. Returns a map label -> column.
function category_spend.check(p, uses, who)
  local allowed = {}
  for _, c in ipairs(uses) do allowed[c] = true end
  local cats = p.categories
  if type(cats) ~= "table" or #cats == 0 then
    error(who .. ": categories must be a non-empty list of { column = ..., label = ... }", 2)
  end
  local columns, labels = {}, {}
  for i, c in ipairs(cats) do
    if type(c) ~= "table" or type(c.column) ~= "string" or type(c.label) ~= "string" or c.label == "" then
      error(who .. ": categories[" .. i .. "] must be { column = \"spend_x\", label = \"X\" }", 2)
    end
    if not allowed[c.column] then
      error(who .. ": categories[" .. i .. "] names column '" .. c.column .. "', which is not one of the plugin's "
        .. "columns (" .. table.concat(uses, ", ") .. "); map your data's columns onto these with `columns:`", 2)
    end
    if columns[c.column] then error(who .. ": column '" .. c.column .. "' is listed twice in categories", 2) end
    if labels[c.label] then error(who .. ": label '" .. c.label .. "' is listed twice in categories", 2) end
    columns[c.column], labels[c.label] = true, c.column
  end
  return labels
end

--- The dominant category's label, its spend and the total spend; nil when every listed column is missing.
--- The label is nil (with total 0) when nobody spent anything positive.
function category_spend.dominant(row, p, who)
  local best, best_spend, total, seen = nil, 0, 0, false
  for _, c in ipairs(p.categories) do
    local v = segutil.number(row, c.column, who or "category_spend")
    if v ~= nil then
      seen = true
      if v > 0 then
        total = total + v
        if v > best_spend then best, best_spend = c.label, v end
      end
    end
  end
  if not seen then return nil end
  return best, best_spend, total
end

--- The customer's spend in the category labelled `label` (0 when missing or negative; nil for an unknown label).
function category_spend.spend_of(row, p, label, who)
  for _, c in ipairs(p.categories) do
    if c.label == label then
      local v = segutil.number(row, c.column, who or "category_spend")
      if v == nil or v < 0 then return 0 end
      return v
    end
  end
  return nil
end

return category_spend
