-- Cases for purchase_frequency (run: seg plugins test plugins purchase_frequency). Defaults: bounds 2, 5, 10.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "one order", row = { frequency = 1 }, label = "One-time" },
  { name = "zero orders counts as one-time", row = { frequency = 0 }, label = "One-time" },
  { name = "exactly 2 is occasional", row = { frequency = 2 }, label = "Occasional" },
  { name = "4 is occasional", row = { frequency = 4 }, label = "Occasional" },
  { name = "exactly 5 is regular", row = { frequency = 5 }, label = "Regular" },
  { name = "9 is regular", row = { frequency = 9 }, label = "Regular" },
  { name = "exactly 10 is frequent", row = { frequency = 10 }, label = "Frequent" },
  { name = "missing frequency", row = {}, label = "No orders" },
  { name = "missing frequency unassigned", row = {}, params = { none_label = "" }, none = true },
  { name = "custom bands", row = { frequency = 3 }, params = { bounds = { 3 }, labels = { "Few", "Many" } },
    label = "Many" },
  { name = "labels must fit", row = { frequency = 3 }, params = { bounds = { 3 } }, error = "labels needs 2 entries" },
  { name = "bounds must increase", row = { frequency = 3 }, params = { bounds = { 5, 2, 10 } },
    error = "must be strictly increasing" },
  { name = "negative frequency", row = { frequency = -1 }, error = "frequency -1 is negative" },
  { name = "count as text", row = { frequency = "5" }, label = "Regular" },
  { name = "a boolean is not a number", row = { frequency = true }, error = "purchase_frequency: frequency must be a number, got the boolean true" },
  },
}
