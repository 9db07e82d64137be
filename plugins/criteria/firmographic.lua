-- firmographic: industry x company size x revenue band for business customers, e.g.
-- "Retail · Small (10-49) · 2M-10M".
--
-- Bands start at each bound (lower bound inclusive, upper exclusive), like demographic_bands:
--   employees  (defaults: the EU SME size classes)  < 10 -> "Micro (1-9)",  10-49 -> "Small (10-49)",
--              50-249 -> "Medium (50-249)",  >= 250 -> "Large (250+)"   (names from size_labels)
--   revenue    (defaults: the EU SME turnover ceilings)  < 2M -> "<2M",  2M-10M,  10M-50M,  >= 50M -> "50M+"
--              (amounts shown as 2M / 500k / plain digits)
--   industry   the text as written (trimmed); industry_map may rename values first: { ["Retail trade"] = "Retail" }
--   employees 0 (a firm with no employees, e.g. a sole trader) -> zero_label ("No employees (0)"), its own size
--              class (the EU micro class counts 1-9 persons); zero_label = "" puts 0 in the first size class
--   a missing (or empty) part -> "Unknown"; negative employees or revenue, or text that is not a number -> error
-- parts chooses and orders the parts joined with " · ": {"industry", "size", "revenue"} by default;
-- {"size"} gives the size class alone.
local segutil = require "segutil"

local function amount(v)
  if v ~= 0 and v % 1000000 == 0 then return string.format("%dM", v // 1000000) end
  if v ~= 0 and v % 1000 == 0 then return string.format("%dk", v // 1000) end
  return string.format("%d", v)
end

local function band_of(bounds, value)
  local n = 1
  for i = 1, #bounds do
    if bounds[i] <= value then n = n + 1 end
  end
  return n
end

local KNOWN_PARTS = { industry = true, size = true, revenue = true }

return {
  api = 1,
  kind = "criterion",
  name = "firmographic",
  version = "1.1.0",
  description = "Industry x company size (employee bands) x revenue band for B2B customers",
  uses = { "industry", "employees", "revenue" },
  params = {
    parts = { "industry", "size", "revenue" },           -- which parts, in this order
    size_bounds = { 10, 50, 250 },                        -- a new size class starts at each head count
    size_labels = { "Micro (1-9)", "Small (10-49)", "Medium (50-249)", "Large (250+)" },
    revenue_bounds = { 2000000, 10000000, 50000000 },     -- a new revenue band starts at each amount
    industry_map = {},                                    -- industry text -> label, applied first
    zero_label = "No employees (0)",                      -- employees 0; "" puts 0 in the first size class
  },

  prepare = function(_, p)
    if type(p.parts) ~= "table" or #p.parts == 0 then
      error("firmographic: parts must list at least one of industry, size, revenue")
    end
    for i, part in ipairs(p.parts) do
      if not KNOWN_PARTS[part] then
        error("firmographic: parts[" .. i .. "] is \"" .. tostring(part) .. "\"; use industry, size or revenue")
      end
    end
    segutil.check_increasing(p.size_bounds, "firmographic: size_bounds")
    segutil.check_increasing(p.revenue_bounds, "firmographic: revenue_bounds")
    if #p.size_labels ~= #p.size_bounds + 1 then
      error("firmographic: size_labels needs " .. (#p.size_bounds + 1) .. " entries (one more than size_bounds), got "
        .. #p.size_labels)
    end
    local revenue_labels = { "<" .. amount(p.revenue_bounds[1]) }
    for i = 1, #p.revenue_bounds - 1 do
      revenue_labels[i + 1] = amount(p.revenue_bounds[i]) .. "-" .. amount(p.revenue_bounds[i + 1])
    end
    revenue_labels[#p.revenue_bounds + 1] = amount(p.revenue_bounds[#p.revenue_bounds]) .. "+"
    return { revenue_labels = revenue_labels }
  end,

  assign = function(row, p)
    local out = {}
    for i, part in ipairs(p.parts) do
      local text = "Unknown"
      if part == "industry" then
        local v = row.industry
        if v ~= nil then
          v = seg.trim(tostring(v))
          if v ~= "" then text = p.industry_map[v] or v end
        end
      elseif part == "size" then
        local v = segutil.number(row, "employees", "firmographic")
        if v ~= nil then
          if v < 0 then error("firmographic: employees " .. tostring(v) .. " is negative; fix or filter this row") end
          if v == 0 and p.zero_label ~= "" then
            text = p.zero_label
          else
            text = p.size_labels[band_of(p.size_bounds, v)]
          end
        end
      else
        local v = segutil.number(row, "revenue", "firmographic")
        if v ~= nil then
          if v < 0 then error("firmographic: revenue " .. tostring(v) .. " is negative; fix or filter this row") end
          text = p.revenue_labels[band_of(p.revenue_bounds, v)]
        end
      end
      out[i] = text
    end
    return table.concat(out, " · ")
  end,
}
