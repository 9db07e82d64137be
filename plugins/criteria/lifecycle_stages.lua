-- lifecycle_stages: the seven common lifecycle stages, from recency, order count and the gap before the last order.
-- (The older `lifecycle` plugin, five stages from tenure and recency, is unchanged.)
--
-- Columns: recency_days and frequency (the rfm feature), purchase_gap_days = days between the customer's last two
-- purchase dates (missing with fewer than two). Rules, first match wins; thresholds are inclusive:
--   1. recency_days or frequency missing, or frequency 0   -> lead_label ("Lead": never bought; "" = unassigned)
--   2. recency_days > at_risk_max_recency_days (180)       -> "Lapsed"
--   3. recency_days > active_max_recency_days (90)         -> "At Risk"
--   4. purchase_gap_days > reactivation_gap_days (180)     -> "Reactivated" (active again after a long gap)
--   5. frequency >= loyal_min_orders (5)                   -> "Loyal"
--   6. frequency >= 2                                      -> "Repeat"
--   7. otherwise (one order, bought recently)              -> "First-time"
-- A missing purchase_gap_days skips rule 4. `prepare` checks the thresholds. Text that is not a number is an error.
local segutil = require "segutil"
return {
  api = 1,
  kind = "criterion",
  name = "lifecycle_stages",
  version = "1.1.0",
  description = "Lead, First-time, Repeat, Loyal, Reactivated, At Risk or Lapsed",
  uses = { "recency_days", "frequency", "purchase_gap_days" },
  params = {
    active_max_recency_days = 90,    -- bought within this many days: active (rules 4-7)
    at_risk_max_recency_days = 180,  -- bought within this many days but not active: At Risk
    loyal_min_orders = 5,            -- active with at least this many orders: Loyal
    reactivation_gap_days = 180,     -- active, and the gap before the last order was longer: Reactivated
    lead_label = "Lead",             -- never bought; "" leaves them unassigned
  },
  labels = { "Lead", "First-time", "Repeat", "Loyal", "Reactivated", "At Risk", "Lapsed" },
  descriptions = {
    Lead = "Known to us but has never bought",
    ["First-time"] = "One order, bought recently",
    Repeat = "A few orders, bought recently",
    Loyal = "Many orders, bought recently",
    Reactivated = "Bought again recently after a long gap",
    ["At Risk"] = "Has not bought for a while: act before they lapse",
    Lapsed = "Has not bought for a long time",
  },

  prepare = function(_, p)
    for _, name in ipairs({ "active_max_recency_days", "at_risk_max_recency_days", "reactivation_gap_days" }) do
      if p[name] < 0 then error("lifecycle_stages: " .. name .. " must be 0 or more, got " .. tostring(p[name])) end
    end
    if not (p.at_risk_max_recency_days > p.active_max_recency_days) then
      error("lifecycle_stages: at_risk_max_recency_days must be > active_max_recency_days (got "
        .. tostring(p.at_risk_max_recency_days) .. " and " .. tostring(p.active_max_recency_days) .. ")")
    end
    if math.tointeger(p.loyal_min_orders) == nil or p.loyal_min_orders < 2 then
      error("lifecycle_stages: loyal_min_orders must be a whole number of at least 2, got "
        .. tostring(p.loyal_min_orders))
    end
  end,

  assign = function(row, p)
    local recency = segutil.number(row, "recency_days", "lifecycle_stages")
    local orders = segutil.number(row, "frequency", "lifecycle_stages")
    local gap = segutil.number(row, "purchase_gap_days", "lifecycle_stages")
    if recency == nil or orders == nil or orders == 0 then
      if p.lead_label == "" then return nil end
      return p.lead_label
    end
    if recency > p.at_risk_max_recency_days then return "Lapsed" end
    if recency > p.active_max_recency_days then return "At Risk" end
    if gap ~= nil and gap > p.reactivation_gap_days then return "Reactivated" end
    if orders >= p.loyal_min_orders then return "Loyal" end
    if orders >= 2 then return "Repeat" end
    return "First-time"
  end,
}
