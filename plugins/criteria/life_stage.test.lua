-- Cases for life_stage (run: seg plugins test plugins life_stage). Defaults: young < 35, young family < 40, retired >= 65.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "young single", row = { age = 24, household_size = 1, children = 0 }, label = "Young single" },
  { name = "young couple", row = { age = 34, household_size = 2, children = 0 }, label = "Young couple" },
  { name = "exactly 35 is no longer young", row = { age = 35, household_size = 1, children = 0 }, label = "Midlife single" },
  { name = "young family", row = { age = 30, household_size = 3, children = 1 }, label = "Young family" },
  { name = "exactly 40 with children is a mature family", row = { age = 40, household_size = 4, children = 2 },
    label = "Mature family" },
  { name = "empty nest", row = { age = 55, household_size = 2, children = 0 }, label = "Empty nest" },
  { name = "exactly 65 is retired, children or not", row = { age = 65, household_size = 3, children = 1 }, label = "Retired" },
  { name = "missing children reads as 0", row = { age = 50, household_size = 2 }, label = "Empty nest" },
  { name = "missing household reads as 1 + children", row = { age = 28 }, label = "Young single" },
  { name = "missing household with children", row = { age = 28, children = 2 }, label = "Young family" },
  { name = "missing age", row = { household_size = 2 }, label = "Unknown" },
  { name = "missing age unassigned", row = {}, params = { unknown_label = "" }, none = true },
  { name = "negative children", row = { age = 30, children = -1 }, error = "must be 0 or more" },
  { name = "bad ages", row = { age = 30 }, params = { young_max_age = 70 }, error = "need 0 < young_max_age < retired_min_age" },
  { name = "numbers as text", row = { age = "30", household_size = "1" }, label = "Young single" },
  { name = "an age that is not a number", row = { age = "thirty" }, error = "life_stage: age must be a number, got text 'thirty'" },
  },
}
