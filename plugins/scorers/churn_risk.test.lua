-- Cases for churn_risk (run: seg plugins test plugins churn_risk).
-- Defaults: weights 0.5 recency, 0.3 trend, 0.2 engagement; recency cap 365 days; sessions_full 10.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "the documented example: (0.5*20 + 0.3*75 + 0.2*80) = 48.5",
    row = { recency_days = 73, orders_recent = 1, orders_previous = 4, sessions = 2 }, score = 48.5 },
  { name = "bought today, growing, engaged: 0", row = { recency_days = 0, orders_recent = 3, orders_previous = 1, sessions = 12 },
    score = 0 },
  { name = "a year away, no orders in either window, no sessions: 100",
    row = { recency_days = 365, orders_recent = 0, orders_previous = 0, sessions = 0 }, score = 100 },
  { name = "recency beyond the cap counts as the cap", row = { recency_days = 900, orders_recent = 0, orders_previous = 0, sessions = 0 },
    score = 100 },
  { name = "same orders as before: trend 0", row = { recency_days = 0, orders_recent = 2, orders_previous = 2, sessions = 10 },
    score = 0 },
  { name = "no orders now, some before: trend 100 (0.3*100)",
    row = { recency_days = 0, orders_recent = 0, orders_previous = 3, sessions = 10 }, score = 30 },
  { name = "missing sessions: weights rescaled to 0.8 ((0.5*20 + 0.3*75) / 0.8 = 40.625 -> 40.6)",
    row = { recency_days = 73, orders_recent = 1, orders_previous = 4 }, score = 40.6 },
  { name = "missing order counts: ((0.5*20 + 0.2*80) / 0.7 = 37.14 -> 37.1)",
    row = { recency_days = 73, sessions = 2 }, score = 37.1 },
  { name = "only recency: 20", row = { recency_days = 73 }, score = 20 },
  { name = "one order count missing reads as 0", row = { recency_days = 0, orders_previous = 2, sessions = 10 },
    score = 30 },
  { name = "never bought: no score", row = { orders_recent = 0, orders_previous = 0, sessions = 3 }, none = true },
  { name = "weights", row = { recency_days = 73, orders_recent = 1, orders_previous = 4, sessions = 2 },
    params = { weight_trend = 0, weight_engagement = 0 }, score = 20 },
  { name = "negative sessions", row = { recency_days = 1, sessions = -1 }, error = "sessions is negative" },
  { name = "recency weight must be positive", row = { recency_days = 1 }, params = { weight_recency = 0 },
    error = "weight_recency must be above 0" },
  { name = "numbers as text", row = { recency_days = "73", orders_recent = "1", orders_previous = "4", sessions = "2" }, score = 48.5 },
  { name = "a count that is not a number", row = { recency_days = 10, sessions = "few" }, error = "churn_risk: sessions must be a number, got text 'few'" },
  },
}
