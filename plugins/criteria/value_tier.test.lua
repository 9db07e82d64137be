-- Cases for value_tier (run: seg plugins test plugins value_tier).
-- The fixture's monetary values are 1..10: p[50] = 5.5 and p[80] = 8.2 (type 7: h = 9 * 0.8 = 7.2, so 8 + 0.2 * (9 - 8)).
local fixture = {}
for v = 1, 10 do fixture[v] = { monetary = v + 0.0 } end
fixture[11] = {}  -- one customer without a value: not counted in the percentiles

return {
  fixture = fixture,
  cases = {
    { name = "below the median is low", row = { monetary = 5.49 }, label = "Low value" },
    { name = "exactly the median is mid", row = { monetary = 5.5 }, label = "Mid value" },
    { name = "just below p80 is mid", row = { monetary = 8.19 }, label = "Mid value" },
    { name = "exactly p80 is high", row = { monetary = 8.2 }, label = "High value" },
    { name = "above the top is high", row = { monetary = 1000 }, label = "High value" },
    { name = "missing is No purchases", row = {}, label = "No purchases" },
    { name = "missing unassigned", row = {}, params = { missing_label = "" }, none = true },
    { name = "quartiles with four labels", row = { monetary = 3.0 },
      params = { quantiles = { 25, 50, 75 }, tier_labels = { "Q1", "Q2", "Q3", "Q4" } }, label = "Q1" },
    { name = "p25 = 3.25: 3.25 is Q2", row = { monetary = 3.25 },
      params = { quantiles = { 25, 50, 75 }, tier_labels = { "Q1", "Q2", "Q3", "Q4" } }, label = "Q2" },
    -- {1, 2, 2, 2, 9}: p[50] = 2 and p[80] = 2 + 0.2 * (9 - 2) = 3.4; all three 2s share the tier the median starts.
    { name = "ties: every customer equal to the median is mid", row = { monetary = 2.0 },
      fixture = { { monetary = 1.0 }, { monetary = 2.0 }, { monetary = 2.0 }, { monetary = 2.0 }, { monetary = 9.0 } },
      label = "Mid value" },
    { name = "ties: below the tied median is low", row = { monetary = 1.0 },
      fixture = { { monetary = 1.0 }, { monetary = 2.0 }, { monetary = 2.0 }, { monetary = 2.0 }, { monetary = 9.0 } },
      label = "Low value" },
    { name = "fixed thresholds: exactly 100 is mid", row = { monetary = 100 }, params = { method = "fixed" },
      label = "Mid value" },
    { name = "fixed thresholds: 499.99 is mid", row = { monetary = 499.99 }, params = { method = "fixed" },
      label = "Mid value" },
    { name = "fixed thresholds: 500 is high", row = { monetary = 500 }, params = { method = "fixed" },
      label = "High value" },
    { name = "negative value is low", row = { monetary = -20 }, params = { method = "fixed" }, label = "Low value" },
    { name = "unknown method", row = { monetary = 1 }, params = { method = "kmeans" },
      error = "method must be \"quantile\" or \"fixed\"" },
    { name = "labels must fit", row = { monetary = 1 }, params = { tier_labels = { "Low", "High" } },
      error = "tier_labels needs 3 entries" },
    { name = "quantile must be whole", row = { monetary = 1 }, params = { quantiles = { 50.5 } , tier_labels = { "a", "b" } },
      error = "must be a whole percentile" },
    -- A monetary column with one value that is not a number is read as text: prepare names the value.
    { name = "text column: prepare says what to do", row = { monetary = "5.5" },
      fixture = { { monetary = "5.5" }, { monetary = "abc" }, { monetary = "7" } },
      error = "value_tier: monetary must be a number, but its column was read as text (e.g. 'abc'), so it has no percentiles; clean the values that are not numbers" },
    { name = "text column with fixed thresholds: numbers as text work", row = { monetary = " 150 " },
      fixture = { { monetary = "5.5" }, { monetary = "abc" }, { monetary = "7" } }, params = { method = "fixed" }, label = "Mid value" },
    { name = "text column with fixed thresholds: the bad value is named", row = { monetary = "abc" },
      fixture = { { monetary = "5.5" }, { monetary = "abc" }, { monetary = "7" } }, params = { method = "fixed" },
      error = "value_tier: monetary must be a number, got text 'abc'; clean that value, or declare the column double" },
  },
}
