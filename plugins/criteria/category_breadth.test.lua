-- Cases for category_breadth (run: seg plugins test plugins category_breadth). Defaults: bounds 1, 2, 4.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "zero", row = { n_categories = 0 }, label = "No categories" },
  { name = "one", row = { n_categories = 1 }, label = "Single-category" },
  { name = "exactly 2 is multi", row = { n_categories = 2 }, label = "Multi-category" },
  { name = "3 is multi", row = { n_categories = 3 }, label = "Multi-category" },
  { name = "exactly 4 is broad", row = { n_categories = 4 }, label = "Broad" },
  { name = "missing is unassigned", row = {}, none = true },
  { name = "negative", row = { n_categories = -1 }, error = "n_categories -1 is negative" },
  { name = "custom", row = { n_categories = 3 }, params = { bounds = { 3 }, labels = { "Narrow", "Wide" } },
    label = "Wide" },
  { name = "count as text", row = { n_categories = "1" }, label = "Single-category" },
  { name = "count that is not a number", row = { n_categories = "many" }, error = "category_breadth: n_categories must be a number" },
  },
}
