-- geo_region: a customer's country (ISO 3166-1 alpha-2 or alpha-3 code, or a common English name) -> its UN M49
-- region or sub-region, e.g. "DE" -> "Europe" (level = "region") or "Western Europe" (level = "subregion").
--
-- The table is plugins/lib/geo_regions.lua, generated from the PyPI package country_converter (scripts/
-- generate-geo-regions.py): 250 current countries and territories, with the ISO 3166 short names and UN M49 names
-- ("Viet Nam", "Türkiye", "Korea, Republic of", ...). Matching ignores case (also beyond ASCII: "TÜRKIYE"),
-- dots ("U.S."), the kind of apostrophe (’ ‘ '), and extra or surrounding spaces (segutil.fold):
-- "de", " DEU ", "Germany" and "Federal Republic of Germany" all read as DE; so do a few common aliases
-- ("UK", "USA", "Holland", "Czech Republic", "Deutschland", ...).
--   "NA" and "N/A" (any case) are missing values (R and pandas write NA for missing), not Namibia; set
--   na_is_namibia = true when your data writes Namibia's code as NA ("NAM" and "Namibia" always work)
--   regions    Africa, Americas, Asia, Europe, Oceania (and Antarctica)
--   overrides  a business-region map checked first, keyed by alpha-2 code: { DE = "DACH", AT = "DACH" }
--   country missing (or blank, NA)  -> nil (unassigned)
--   country not recognised          -> unknown_label ("Unknown region"; "" = unassigned)
-- The plugin declares no `labels`: what it returns depends on level and overrides (docs/METHODS.md lists both sets).
local geo = require "geo_regions"
local segutil = require "segutil"

-- geo.names keyed as segutil.fold keys them (sorted, so a clash would resolve the same way every run).
local NAMES = {}
do
  local keys = {}
  for name in pairs(geo.names) do keys[#keys + 1] = name end
  table.sort(keys)
  for _, name in ipairs(keys) do
    local k = segutil.fold(name)
    if NAMES[k] == nil then NAMES[k] = geo.names[name] end
  end
end

return {
  api = 1,
  kind = "criterion",
  name = "geo_region",
  version = "1.1.0",
  description = "UN M49 region or sub-region of a country code or name, with optional business-region overrides",
  uses = { "country" },
  params = {
    level = "region",                 -- "region" (Europe) or "subregion" (Western Europe)
    overrides = {},                   -- alpha-2 code -> label, checked before the M49 table
    unknown_label = "Unknown region", -- a country the table does not know; "" leaves it unassigned
    na_is_namibia = false,            -- true: "NA" is Namibia; false: "NA" is a missing value
  },

  prepare = function(_, p)
    if type(p.na_is_namibia) ~= "boolean" then
      error("geo_region: na_is_namibia must be true or false, got " .. tostring(p.na_is_namibia))
    end
    if p.level ~= "region" and p.level ~= "subregion" then
      error("geo_region: level must be \"region\" or \"subregion\", got \"" .. tostring(p.level) .. "\"")
    end
    local keys = {}
    for code in pairs(p.overrides) do keys[#keys + 1] = code end
    table.sort(keys)
    for _, code in ipairs(keys) do
      if type(code) ~= "string" or not code:match("^%u%u$") or type(p.overrides[code]) ~= "string"
          or p.overrides[code] == "" then
        error("geo_region: overrides must map upper-case alpha-2 codes to labels, e.g. { DE = \"DACH\" }; got "
          .. tostring(code))
      end
    end
  end,

  assign = function(row, p)
    local value = row.country
    if value == nil then return nil end
    local text = segutil.fold(tostring(value))
    if text == "" or text == "n/a" then return nil end
    if text == "na" and p.na_is_namibia ~= true then return nil end
    local code = text:upper()
    if geo.countries[code] == nil then code = NAMES[text] end
    if code ~= nil and p.overrides[code] ~= nil then return p.overrides[code] end
    local entry = code and geo.countries[code]
    if entry == nil then
      if p.unknown_label == "" then return nil end
      return p.unknown_label
    end
    if p.level == "subregion" then return entry[3] end
    return entry[2]
  end,
}
