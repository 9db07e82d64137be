-- churn_risk: a 0-1 churn risk from recency and frequency, a logistic curve Acme fitted on its own history:
--   risk = 1 / (1 + exp(-(intercept + w_recency * recency_days / 30 - w_frequency * frequency)))
-- A customer without purchases (recency_days missing) gets no score.

return {
  api = 1,
  kind = "scorer",
  name = "churn_risk",
  version = "1.1.0",
  description = "0-1 churn risk from recency and frequency (logistic)",
  uses = { "recency_days", "frequency" },
  params = { intercept = -2.0, w_recency = 0.9, w_frequency = 0.35 },

  score = function(row, p)
    if row.recency_days == nil or row.frequency == nil then return nil end
    local z = p.intercept + p.w_recency * row.recency_days / 30 - p.w_frequency * row.frequency
    return 1 / (1 + math.exp(-z))
  end,
}
