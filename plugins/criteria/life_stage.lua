-- life_stage: a household life stage from age, household size and children living at home.
--
-- Rules, first match wins (ages in whole or fractional years; bounds inclusive where marked):
--   1. age missing                                       -> unknown_label ("Unknown"; "" = unassigned)
--   2. age >= retired_min_age (65)                       -> "Retired"
--   3. children >= 1 and age < young_family_max_age (40) -> "Young family"
--   4. children >= 1                                     -> "Mature family"
--   5. age < young_max_age (35), household_size <= 1     -> "Young single"
--   6. age < young_max_age (35)                          -> "Young couple"  (2+ adults, no children)
--   7. household_size <= 1                               -> "Midlife single"
--   8. otherwise                                         -> "Empty nest"    (35-64, 2+ people, no children at home)
-- children missing reads as 0; household_size missing reads as 1 + children (no other adult known).
-- Negative counts, and text that is not a number, are an error.
local segutil = require "segutil"
return {
  api = 1,
  kind = "criterion",
  name = "life_stage",
  version = "1.1.0",
  description = "Young single/couple/family, Mature family, Midlife single, Empty nest or Retired",
  uses = { "age", "household_size", "children" },
  params = {
    young_max_age = 35,          -- younger than this (and no children): Young single / couple
    young_family_max_age = 40,   -- younger than this with children: Young family
    retired_min_age = 65,        -- this age and older: Retired
    unknown_label = "Unknown",   -- age missing; "" leaves them unassigned
  },
  labels = { "Young single", "Young couple", "Young family", "Mature family", "Midlife single", "Empty nest",
    "Retired", "Unknown" },
  descriptions = {
    ["Young single"] = "Under 35, living alone",
    ["Young couple"] = "Under 35, living with another adult, no children",
    ["Young family"] = "Under 40 with children at home",
    ["Mature family"] = "40 or older with children at home",
    ["Midlife single"] = "35-64, living alone",
    ["Empty nest"] = "35-64, living with another adult, no children at home",
    Retired = "65 or older",
    Unknown = "Age unknown",
  },

  prepare = function(_, p)
    if not (p.young_max_age > 0 and p.young_max_age < p.retired_min_age
        and p.young_family_max_age > 0 and p.young_family_max_age <= p.retired_min_age) then
      error("life_stage: need 0 < young_max_age < retired_min_age and 0 < young_family_max_age <= retired_min_age")
    end
  end,

  assign = function(row, p)
    local age = segutil.number(row, "age", "life_stage")
    local children = segutil.number(row, "children", "life_stage") or 0
    if age == nil then
      if p.unknown_label == "" then return nil end
      return p.unknown_label
    end
    local household = segutil.number(row, "household_size", "life_stage") or (1 + children)
    if age < 0 or children < 0 or household < 0 then
      error("life_stage: age, household_size and children must be 0 or more; fix or filter this row")
    end
    if age >= p.retired_min_age then return "Retired" end
    if children >= 1 then
      if age < p.young_family_max_age then return "Young family" end
      return "Mature family"
    end
    if age < p.young_max_age then
      if household <= 1 then return "Young single" end
      return "Young couple"
    end
    if household <= 1 then return "Midlife single" end
    return "Empty nest"
  end,
}
