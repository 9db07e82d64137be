-- Cases for lifecycle (run: seg plugins test plugins lifecycle). Format: docs/PLUGINS.md, "Testing plugins".
-- Defaults: new_max_tenure_days = 90, active_max_recency_days = 90, at_risk_max_recency_days = 180.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "never bought is a prospect", row = { tenure_days = 400 }, label = "Prospect" },
  { name = "never bought beats new", row = { tenure_days = 10 }, label = "Prospect" },
  { name = "prospect_label '' leaves prospects unassigned", row = { tenure_days = 10 },
    params = { prospect_label = "" }, none = true },
  { name = "prospect_label renames prospects", row = {}, params = { prospect_label = "Lead" }, label = "Lead" },
  { name = "tenure of exactly 90 is new", row = { tenure_days = 90, recency_days = 300 }, label = "New" },
  { name = "tenure of 91 is not new", row = { tenure_days = 91, recency_days = 30 }, label = "Active" },
  { name = "missing tenure skips the new rule", row = { recency_days = 5 }, label = "Active" },
  { name = "recency of exactly 90 is active", row = { tenure_days = 500, recency_days = 90 }, label = "Active" },
  { name = "recency of 91 is at risk", row = { tenure_days = 500, recency_days = 91 }, label = "At Risk" },
  { name = "recency of exactly 180 is at risk", row = { tenure_days = 500, recency_days = 180 }, label = "At Risk" },
  { name = "recency of 181 is lapsed", row = { tenure_days = 500, recency_days = 181 }, label = "Lapsed" },
  { name = "overrides move the thresholds", row = { tenure_days = 500, recency_days = 40 },
    params = { active_max_recency_days = 30, at_risk_max_recency_days = 60 }, label = "At Risk" },
  { name = "new_max_tenure_days 0: only day-0 customers are new", row = { tenure_days = 0, recency_days = 0 },
    params = { new_max_tenure_days = 0 }, label = "New" },
  { name = "prepare refuses a negative threshold", row = { recency_days = 1 },
    params = { new_max_tenure_days = -1 }, error = "new_max_tenure_days must be 0 or more, got -1" },
  { name = "prepare refuses at risk not above active", row = { recency_days = 1 },
    params = { active_max_recency_days = 100, at_risk_max_recency_days = 100 },
    error = "at_risk_max_recency_days must be > active_max_recency_days" },
  { name = "a threshold must be a number", row = { recency_days = 1 },
    params = { active_max_recency_days = "90" }, error = "must be a number like its default" },
  { name = "numbers as text", row = { recency_days = "30", tenure_days = "400" }, label = "Active" },
  { name = "a recency that is not a number", row = { recency_days = "soon" }, error = "lifecycle: recency_days must be a number, got text 'soon'" },
  },
}
