-- demographic_bands: age band x income band, e.g. "B 25-34 · B 30k-60k".
--
-- Each list of bounds says where a new band starts; a value equal to a bound belongs to the band that
-- bound starts (lower bound inclusive, upper bound exclusive). With the defaults:
--   age     age < 25 -> "A <25",  25 <= age < 35 -> "B 25-34",  35 <= age < 50 -> "C 35-49",
--           50 <= age < 65 -> "D 50-64",  age >= 65 -> "E 65+"
--           (ages are shown as whole years: 34.9 is in "B 25-34")
--   income  income < 30000 -> "A <30k",  30000 <= income < 60000 -> "B 30k-60k",
--           60000 <= income < 100000 -> "C 60k-100k",  income >= 100000 -> "D 100k+"
--           (amounts shown as 30k for thousands, 2M for millions, plain digits otherwise)
--   missing (or NaN) age or income -> that part is "Unknown"; text that is not a number is an error
-- The label is "<age part> · <income part>". The leading letter (A, B, ...) is the band's position,
-- so labels sort by age band, then income band, with "Unknown" after every band (at most 20 bounds
-- per list keeps letters A..U below "Unknown"). Bounds must be strictly increasing whole numbers.
-- `prepare` validates the bounds and records the band names as age_labels and income_labels.

local segutil = require "segutil"

local MAX_BOUNDS = 20

local function check_bounds(bounds, name)
  segutil.check_increasing(bounds, "demographic_bands: " .. name)
  if #bounds > MAX_BOUNDS then
    error("demographic_bands: " .. name .. " has " .. #bounds .. " bounds; at most " .. MAX_BOUNDS)
  end
  for i, b in ipairs(bounds) do
    if math.tointeger(b) == nil then
      error("demographic_bands: " .. name .. "[" .. i .. "] must be a whole number, got " .. tostring(b))
    end
  end
end

local function amount(v)
  v = math.tointeger(v)
  if v ~= 0 and v % 1000000 == 0 then return string.format("%dM", v // 1000000) end
  if v ~= 0 and v % 1000 == 0 then return string.format("%dk", v // 1000) end
  return string.format("%d", v)
end

local function whole(v) return string.format("%d", math.tointeger(v)) end

-- Band names for `bounds`: band 1 is below the first bound, band #bounds+1 at or above the last.
-- `inclusive_upper` shows a middle band as "lo-(hi-1)" (ages); otherwise as "lo-hi" (amounts).
local function band_names(bounds, fmt, inclusive_upper)
  local names = { string.format("A <%s", fmt(bounds[1])) }
  for i = 1, #bounds - 1 do
    local lo, hi = bounds[i], bounds[i + 1]
    local range
    if inclusive_upper then
      range = (hi - 1 == lo) and fmt(lo) or (fmt(lo) .. "-" .. fmt(hi - 1))
    else
      range = fmt(lo) .. "-" .. fmt(hi)
    end
    names[i + 1] = string.char(64 + i + 1) .. " " .. range
  end
  names[#bounds + 1] = string.char(64 + #bounds + 1) .. " " .. fmt(bounds[#bounds]) .. "+"
  return names
end

-- The band of `value`: 1 + the number of bounds at or below it.
local function band_of(bounds, value)
  local n = 1
  for i = 1, #bounds do
    if bounds[i] <= value then n = n + 1 end
  end
  return n
end

return {
  api = 1,
  kind = "criterion",
  name = "demographic_bands",
  version = "1.1.0",
  description = "Age band x income band, e.g. \"B 25-34 · B 30k-60k\"",
  uses = { "age", "income" },
  params = {
    age_bands = { 25, 35, 50, 65 },       -- a new age band starts at each of these ages
    income_bands = { 30000, 60000, 100000 }, -- a new income band starts at each of these amounts
  },

  prepare = function(_, p)
    check_bounds(p.age_bands, "age_bands")
    check_bounds(p.income_bands, "income_bands")
    return {
      age_labels = band_names(p.age_bands, whole, true),
      income_labels = band_names(p.income_bands, amount, false),
    }
  end,

  assign = function(row, p)
    if p.age_labels == nil then
      error("demographic_bands: band labels are missing; prepare(stats, p) must run before assign")
    end
    local age_part, income_part = "Unknown", "Unknown"
    -- (x == x) is false only for NaN, which is treated like a missing value.
    local age = segutil.number(row, "age", "demographic_bands")
    local income = segutil.number(row, "income", "demographic_bands")
    if age ~= nil and age == age then
      age_part = p.age_labels[band_of(p.age_bands, age)]
    end
    if income ~= nil and income == income then
      income_part = p.income_labels[band_of(p.income_bands, income)]
    end
    return age_part .. " · " .. income_part
  end,
}
