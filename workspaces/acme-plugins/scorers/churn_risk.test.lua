-- Cases for churn_risk (run: seg plugins test workspaces/acme-plugins churn_risk). Format: docs/PLUGINS.md.
-- risk = 1 / (1 + exp(-(-2 + 0.9 * recency_days / 30 - 0.35 * frequency)))
return {
  { name = "recent and frequent is low risk", row = { recency_days = 0, frequency = 10 },
    score = 1 / (1 + math.exp(5.5)), tolerance = 1e-12 },
  { name = "a year away, one order is high risk", row = { recency_days = 365, frequency = 1 },
    score = 0.99982, tolerance = 0.00001 },
  { name = "the logit is 0 at recency 90 with 2 orders", row = { recency_days = 90, frequency = 2 },
    params = { intercept = -2.0, w_recency = 0.9, w_frequency = 0.35 }, score = 1 / (1 + math.exp(-(-2 + 2.7 - 0.7))),
    tolerance = 1e-12 },
  { name = "no purchases: no score", row = { frequency = 0 }, none = true },
}
