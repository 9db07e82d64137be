-- city_tier: a city's tier, from a list of named cities or from the city's population.
--
-- Rules, first match wins (population bounds are inclusive: a city of exactly 1,000,000 is Tier 1):
--   1. city is a key of city_tiers (compared as segutil.fold does: case ignored, also beyond ASCII ("MÜNCHEN" =
--      "München"), dots, the kind of apostrophe (’ ‘ ') and extra spaces ignored)   -> that label
--   2. city_population >= tier_min_population[1] (1,000,000)                        -> tier_labels[1] ("Tier 1")
--      city_population >= tier_min_population[2] (250,000)                          -> tier_labels[2] ("Tier 2")
--      any other population (0 or more)                                             -> the last label ("Tier 3")
--   3. population missing (and city not listed)                                     -> unknown_label ("Unknown tier";
--                                                                                      "" = unassigned)
-- tier_min_population must be strictly decreasing and tier_labels one longer; a negative population, or a
-- population that is text but not a number, is an error.
-- A dataset without a population column maps city_population to any column holding none
-- (or lists its cities in city_tiers and accepts unknown_label for the rest).

local segutil = require "segutil"

local function key(s) return segutil.fold(s) end

return {
  api = 1,
  kind = "criterion",
  name = "city_tier",
  version = "1.1.0",
  description = "Tier 1/2/3 cities from a named-city list or from the city's population",
  uses = { "city", "city_population" },
  params = {
    tier_min_population = { 1000000, 250000 },  -- the smallest population of Tier 1, Tier 2, ...
    tier_labels = { "Tier 1", "Tier 2", "Tier 3" },
    city_tiers = {},                             -- city name -> label, checked first: { London = "Tier 1" }
    unknown_label = "Unknown tier",              -- no listed city and no population; "" leaves it unassigned
  },
  labels = { "Tier 1", "Tier 2", "Tier 3", "Unknown tier" },
  descriptions = {
    ["Tier 1"] = "Lives in one of the largest cities",
    ["Tier 2"] = "Lives in a mid-sized city",
    ["Tier 3"] = "Lives in a smaller city or town",
    ["Unknown tier"] = "City not listed and its population unknown",
  },

  prepare = function(_, p)
    local mins = p.tier_min_population
    if type(mins) ~= "table" or #mins == 0 then
      error("city_tier: tier_min_population must be a non-empty list of populations")
    end
    for i = 1, #mins do
      if type(mins[i]) ~= "number" then error("city_tier: tier_min_population[" .. i .. "] must be a number") end
      if i > 1 and not (mins[i] < mins[i - 1]) then
        error("city_tier: tier_min_population must be strictly decreasing (largest cities first), but item " .. i
          .. " (" .. tostring(mins[i]) .. ") is not below item " .. (i - 1) .. " (" .. tostring(mins[i - 1]) .. ")")
      end
    end
    if #p.tier_labels ~= #mins + 1 then
      error("city_tier: tier_labels needs " .. (#mins + 1) .. " entries (one more than tier_min_population), got "
        .. #p.tier_labels)
    end
    local names, listed = {}, {}
    for city in pairs(p.city_tiers) do names[#names + 1] = city end
    table.sort(names)
    for _, city in ipairs(names) do
      local label = p.city_tiers[city]
      if type(city) ~= "string" or type(label) ~= "string" or label == "" then
        error("city_tier: city_tiers must map city names to labels, e.g. { London = \"Tier 1\" }")
      end
      listed[key(city)] = label
    end
    return { city_keys = listed }
  end,

  assign = function(row, p)
    if row.city ~= nil then
      local listed = p.city_keys[key(tostring(row.city))]
      if listed ~= nil then return listed end
    end
    local pop = segutil.number(row, "city_population", "city_tier")
    if pop == nil then
      if p.unknown_label == "" then return nil end
      return p.unknown_label
    end
    if pop < 0 then
      error("city_tier: city_population " .. tostring(pop) .. " is negative; fix or filter this row")
    end
    for i, min in ipairs(p.tier_min_population) do
      if pop >= min then return p.tier_labels[i] end
    end
    return p.tier_labels[#p.tier_labels]
  end,
}
