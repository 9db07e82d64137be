-- Cases for demographic_bands (run: seg plugins test plugins demographic_bands). Format: docs/PLUGINS.md,
-- "Testing plugins". Defaults: ages 25, 35, 50, 65; incomes 30000, 60000, 100000.
local too_many = {}
for i = 1, 21 do too_many[i] = i * 5 end

-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "below every bound", row = { age = 24, income = 29999 }, label = "A <25 · A <30k" },
  { name = "a bound starts its band", row = { age = 25, income = 30000 }, label = "B 25-34 · B 30k-60k" },
  { name = "ages show as whole years (34.9 is 25-34)", row = { age = 34.9, income = 59999.5 },
    label = "B 25-34 · B 30k-60k" },
  { name = "middle bands", row = { age = 50, income = 60000 }, label = "D 50-64 · C 60k-100k" },
  { name = "top bands", row = { age = 65, income = 100000 }, label = "E 65+ · D 100k+" },
  { name = "missing age is Unknown", row = { income = 45000 }, label = "Unknown · B 30k-60k" },
  { name = "both missing", row = {}, label = "Unknown · Unknown" },
  { name = "age bounds override", row = { age = 45, income = 1 }, params = { age_bands = { 30, 60 } },
    label = "B 30-59 · A <30k" },
  { name = "a one-year band shows one age", row = { age = 18, income = 1 }, params = { age_bands = { 18, 19 } },
    label = "B 18 · A <30k" },
  { name = "millions show as M", row = { age = 1, income = 2000000 }, params = { income_bands = { 1000000 } },
    label = "A <25 · B 1M+" },
  { name = "other amounts show as digits", row = { age = 1, income = 1 }, params = { income_bands = { 1500 } },
    label = "A <25 · A <1500" },
  { name = "bounds must increase", row = { age = 1 }, params = { age_bands = { 30, 30 } },
    error = "age_bands must be strictly increasing" },
  { name = "bounds must be whole numbers", row = { age = 1 }, params = { income_bands = { 1000.5 } },
    error = "income_bands[1] must be a whole number, got 1000.5" },
  { name = "at most 20 bounds", row = { age = 1 }, params = { age_bands = too_many },
    error = "age_bands has 21 bounds; at most 20" },
  { name = "an empty list is refused", row = { age = 1 }, params = { age_bands = {} },
    error = "age_bands must be a non-empty list of numbers" },
  { name = "numbers as text", row = { age = "30", income = "45000" }, label = "B 25-34 · B 30k-60k" },
  { name = "an income that is not a number", row = { age = 30, income = "45k" }, error = "demographic_bands: income must be a number, got text '45k'" },
  },
}
