-- Cases for engagement (run: seg plugins test plugins engagement).
-- Defaults: points = 1*sessions + 0.5*opens + 2*clicks; High >= 10, Moderate >= 3.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "10 sessions is high", row = { sessions = 10, email_opens = 0, email_clicks = 0 }, label = "High" },
  { name = "9.5 points is moderate", row = { sessions = 9, email_opens = 1, email_clicks = 0 }, label = "Moderate" },
  { name = "opens and a click: 4 points", row = { sessions = 0, email_opens = 4, email_clicks = 1 },
    label = "Moderate" },
  { name = "exactly 3 points is moderate", row = { sessions = 1, email_opens = 0, email_clicks = 1 },
    label = "Moderate" },
  { name = "opens alone: 2 points", row = { sessions = 0, email_opens = 4, email_clicks = 0 }, label = "Disengaged" },
  { name = "nothing at all", row = { sessions = 0, email_opens = 0, email_clicks = 0 }, label = "Disengaged" },
  { name = "missing counts read as 0", row = { email_clicks = 5 }, label = "High" },
  { name = "all missing is unassigned", row = {}, none = true },
  { name = "weights", row = { sessions = 2, email_opens = 0, email_clicks = 0 }, params = { session_weight = 5.0 },
    label = "High" },
  { name = "thresholds", row = { sessions = 2 }, params = { moderate_min_points = 1, high_min_points = 2 },
    label = "High" },
  { name = "bad thresholds", row = { sessions = 2 }, params = { moderate_min_points = 10 },
    error = "need 0 < moderate_min_points < high_min_points" },
  { name = "negative count", row = { sessions = -1 }, error = "counts must be 0 or more" },
  { name = "counts as text", row = { sessions = "10" }, label = "High" },
  { name = "a count that is not a number", row = { sessions = 1, email_clicks = "x" }, error = "engagement: email_clicks must be a number, got text 'x'" },
  },
}
