-- churn_risk: an explainable churn-risk score from 0 (safe) to 100 (about to leave), written to column churn_risk.
--
-- Three components, each 0-100, averaged with weights (defaults 0.5, 0.3, 0.2):
--   recency     = min(recency_days, recency_cap_days) / recency_cap_days * 100         (cap 365 days)
--                 0 days since the last order -> 0; a year or more -> 100
--   trend       = orders in the recent window (orders_recent) against the window before it (orders_previous):
--                 max(0, previous - recent) / max(previous, recent) * 100
--                 fewer orders than before -> up to 100; as many or more -> 0; none in either window -> 100
--   engagement  = (1 - min(sessions, sessions_full) / sessions_full) * 100              (full at 10 sessions)
--   score       = (w_recency * recency + w_trend * trend + w_engagement * engagement) / (sum of the weights used)
--                 rounded to one decimal
-- Missing inputs: recency_days missing (never bought) -> no score. orders_recent and orders_previous both
-- missing, or sessions missing -> that component is left out and the weights of the others are rescaled; one of
-- the two order counts missing reads as 0. Negative inputs, and text that is not a number, are an error.
-- Example: recency 73 days (20), 1 order now vs 4 before (75), 2 sessions (80):
--   (0.5 * 20 + 0.3 * 75 + 0.2 * 80) / 1.0 = 48.5
local segutil = require "segutil"

return {
  api = 1,
  kind = "scorer",
  name = "churn_risk",
  version = "1.1.0",
  description = "Churn risk 0-100 from recency, order trend (recent vs previous window) and sessions",
  uses = { "recency_days", "orders_recent", "orders_previous", "sessions" },
  params = {
    weight_recency = 0.5,
    weight_trend = 0.3,
    weight_engagement = 0.2,
    recency_cap_days = 365,   -- this many days since the last order or more: recency component 100
    sessions_full = 10,       -- this many sessions or more: engagement component 0
  },

  prepare = function(_, p)
    for _, name in ipairs({ "weight_recency", "weight_trend", "weight_engagement" }) do
      if p[name] < 0 then error("churn_risk: " .. name .. " must be 0 or more, got " .. tostring(p[name])) end
    end
    if not (p.weight_recency > 0) then
      error("churn_risk: weight_recency must be above 0 (recency is the one input every score has)")
    end
    if not (p.recency_cap_days > 0 and p.sessions_full > 0) then
      error("churn_risk: recency_cap_days and sessions_full must be above 0")
    end
  end,

  score = function(row, p)
    local recency = segutil.number(row, "recency_days", "churn_risk")
    if recency == nil then return nil end
    local recent = segutil.number(row, "orders_recent", "churn_risk")
    local previous = segutil.number(row, "orders_previous", "churn_risk")
    local sessions = segutil.number(row, "sessions", "churn_risk")
    local checks = { { "recency_days", recency }, { "orders_recent", recent or 0 },
                     { "orders_previous", previous or 0 }, { "sessions", sessions or 0 } }
    for _, c in ipairs(checks) do
      if c[2] < 0 then error("churn_risk: " .. c[1] .. " is negative; fix or filter this row") end
    end
    local total = p.weight_recency * math.min(recency, p.recency_cap_days) / p.recency_cap_days * 100
    local weights = p.weight_recency
    if recent ~= nil or previous ~= nil then
      recent, previous = recent or 0, previous or 0
      local trend = 100
      if recent + previous > 0 then
        trend = math.max(0, previous - recent) / math.max(previous, recent) * 100
      end
      total, weights = total + p.weight_trend * trend, weights + p.weight_trend
    end
    if sessions ~= nil then
      local engagement = (1 - math.min(sessions, p.sessions_full) / p.sessions_full) * 100
      total, weights = total + p.weight_engagement * engagement, weights + p.weight_engagement
    end
    return math.floor(total / weights * 10 + 0.5) / 10
  end,
}
