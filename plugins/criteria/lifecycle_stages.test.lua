-- Cases for lifecycle_stages (run: seg plugins test plugins lifecycle_stages).
-- Defaults: active 90, at risk 180, loyal 5 orders, reactivation gap 180 days.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "never bought is a lead", row = {}, label = "Lead" },
  { name = "zero orders is a lead", row = { recency_days = 3, frequency = 0 }, label = "Lead" },
  { name = "lead_label '' leaves leads unassigned", row = {}, params = { lead_label = "" }, none = true },
  { name = "one recent order is first-time", row = { recency_days = 10, frequency = 1 }, label = "First-time" },
  { name = "two orders is repeat", row = { recency_days = 10, frequency = 2, purchase_gap_days = 30 },
    label = "Repeat" },
  { name = "4 orders is still repeat", row = { recency_days = 10, frequency = 4 }, label = "Repeat" },
  { name = "exactly 5 orders is loyal", row = { recency_days = 90, frequency = 5, purchase_gap_days = 20 },
    label = "Loyal" },
  { name = "recency exactly 90 is still active", row = { recency_days = 90, frequency = 1 }, label = "First-time" },
  { name = "recency 91 is at risk", row = { recency_days = 91, frequency = 12 }, label = "At Risk" },
  { name = "recency exactly 180 is at risk", row = { recency_days = 180, frequency = 1 }, label = "At Risk" },
  { name = "recency 181 is lapsed", row = { recency_days = 181, frequency = 30 }, label = "Lapsed" },
  { name = "gap 181 and active is reactivated", row = { recency_days = 5, frequency = 8, purchase_gap_days = 181 },
    label = "Reactivated" },
  { name = "gap exactly 180 is not reactivated", row = { recency_days = 5, frequency = 8, purchase_gap_days = 180 },
    label = "Loyal" },
  { name = "a long gap does not rescue a lapsed customer",
    row = { recency_days = 400, frequency = 3, purchase_gap_days = 500 }, label = "Lapsed" },
  { name = "missing gap skips reactivation", row = { recency_days = 5, frequency = 3 }, label = "Repeat" },
  { name = "overrides", row = { recency_days = 40, frequency = 3, purchase_gap_days = 70 },
    params = { active_max_recency_days = 30, at_risk_max_recency_days = 60 }, label = "At Risk" },
  { name = "at risk must be above active", row = { recency_days = 1, frequency = 1 },
    params = { at_risk_max_recency_days = 90 }, error = "at_risk_max_recency_days must be > active_max_recency_days" },
  { name = "loyal_min_orders must be whole", row = { recency_days = 1, frequency = 1 },
    params = { loyal_min_orders = 2.5 }, error = "loyal_min_orders must be a whole number" },
  { name = "numbers as text", row = { recency_days = "10", frequency = "6" }, label = "Loyal" },
  { name = "a gap that is not a number", row = { recency_days = 10, frequency = 2, purchase_gap_days = "?" }, error = "lifecycle_stages: purchase_gap_days must be a number, got text '?'" },
  },
}
