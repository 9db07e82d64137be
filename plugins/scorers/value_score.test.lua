-- Cases for value_score (run: seg plugins test plugins value_score). Format: docs/PLUGINS.md, "Testing plugins".
-- Same fixture as rfm: breakpoints recency 20/40/60/80, frequency 2/4/6/8, monetary 200/400/600/800.
local fixture = {}
for i = 0, 10 do
  fixture[#fixture + 1] = { recency_days = i * 10, frequency = i, monetary = i * 100 }
end

return {
  fixture = fixture,
  cases = {
    { name = "all fives score 100", row = { recency_days = 0, frequency = 10, monetary = 1000 }, score = 100 },
    { name = "all ones score 0", row = { recency_days = 100, frequency = 0, monetary = 0 }, score = 0 },
    { name = "one step of one score is 100/12", row = { recency_days = 100, frequency = 3, monetary = 0 },
      score = 100 / 12 },
    { name = "values on breakpoints: R5 F1 M1 (recency 20, frequency 2, monetary 200)",
      row = { recency_days = 20, frequency = 2, monetary = 200 }, score = 33.33, tolerance = 0.01 },
    { name = "middle of everything is 50", row = { recency_days = 50, frequency = 5, monetary = 500 }, score = 50 },
    { name = "weights: only recency counts", row = { recency_days = 50, frequency = 10, monetary = 1000 },
      params = { weight_recency = 2, weight_frequency = 0, weight_monetary = 0 }, score = 50 },
    { name = "weights: 0.5 is accepted", row = { recency_days = 0, frequency = 0, monetary = 0 },
      params = { weight_recency = 0.5 }, score = 100 * 0.5 * 4 / (4 * 2.5) },
    { name = "missing monetary gives no score", row = { recency_days = 1, frequency = 1 }, none = true },
    { name = "missing recency gives no score", row = { frequency = 1, monetary = 1 }, none = true },
    { name = "a negative weight is refused", row = { recency_days = 1, frequency = 1, monetary = 1 },
      params = { weight_frequency = -1 }, error = "weight_frequency must be 0 or more, got -1" },
    { name = "all weights 0 is refused", row = { recency_days = 1, frequency = 1, monetary = 1 },
      params = { weight_recency = 0, weight_frequency = 0, weight_monetary = 0 },
      error = "at least one of weight_recency, weight_frequency, weight_monetary must be > 0" },
    { name = "a text weight is refused", row = { recency_days = 1, frequency = 1, monetary = 1 },
      params = { weight_monetary = "high" }, error = "must be a number like its default" },
    { name = "numbers as text", row = { recency_days = "0", frequency = "10", monetary = "1000" }, score = 100 },
    { name = "a value that is not a number", row = { recency_days = 0, frequency = 10, monetary = "lots" },
      error = "value_score: monetary must be a number, got text 'lots'" },
    { name = "a text column: prepare names a value", row = { recency_days = 1, frequency = 1, monetary = 1 },
      fixture = { { recency_days = 1, frequency = 1, monetary = "abc" }, { recency_days = 2, frequency = 2, monetary = "3" } }, error = "value_score: monetary must be a number, but its column was read as text (e.g. 'abc')" },
  },
}
