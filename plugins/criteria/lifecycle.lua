-- lifecycle: where a customer is in their life with us, from tenure and recency.
--
-- Rules, first match wins:
--   1. recency_days missing (never bought)             -> prospect_label ("Prospect"; "" = unassigned)
--   2. tenure_days <= new_max_tenure_days              -> "New"
--   3. recency_days <= active_max_recency_days         -> "Active"
--   4. recency_days <= at_risk_max_recency_days        -> "At Risk"
--   5. otherwise                                       -> "Lapsed"
-- A missing tenure_days skips rule 2 (the customer is not treated as new).
-- All thresholds are inclusive ("<="): a recency of exactly 90 days is Active with the defaults.
-- `prepare` checks the thresholds: none negative, at_risk_max_recency_days > active_max_recency_days.
-- Text that is not a number is an error.
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "lifecycle",
  version = "1.1.0",
  description = "Prospect, New, Active, At Risk or Lapsed from tenure and recency in days",
  uses = { "tenure_days", "recency_days" },
  params = {
    new_max_tenure_days = 90,        -- customers seen for at most this many days are New
    active_max_recency_days = 90,    -- bought within this many days: Active
    at_risk_max_recency_days = 180,  -- bought within this many days (but not Active): At Risk
    prospect_label = "Prospect",     -- never bought; "" leaves them unassigned
  },
  labels = { "Prospect", "New", "Active", "At Risk", "Lapsed" },  -- "Prospect": prospect_label's default
  descriptions = {
    Prospect = "Known to us but has never bought",
    New = "Became a customer recently",
    Active = "Bought recently",
    ["At Risk"] = "Has not bought for a while: act before they lapse",
    Lapsed = "Has not bought for a long time",
  },

  prepare = function(_, p)
    for _, name in ipairs({ "new_max_tenure_days", "active_max_recency_days", "at_risk_max_recency_days" }) do
      if p[name] < 0 then
        error("lifecycle: " .. name .. " must be 0 or more, got " .. tostring(p[name]))
      end
    end
    if not (p.at_risk_max_recency_days > p.active_max_recency_days) then
      error("lifecycle: at_risk_max_recency_days must be > active_max_recency_days (got "
        .. tostring(p.at_risk_max_recency_days) .. " and " .. tostring(p.active_max_recency_days) .. ")")
    end
  end,

  assign = function(row, p)
    local recency = segutil.number(row, "recency_days", "lifecycle")
    local tenure = segutil.number(row, "tenure_days", "lifecycle")
    if recency == nil then
      if p.prospect_label == "" then return nil end
      return p.prospect_label
    end
    if tenure ~= nil and tenure <= p.new_max_tenure_days then return "New" end
    if recency <= p.active_max_recency_days then return "Active" end
    if recency <= p.at_risk_max_recency_days then return "At Risk" end
    return "Lapsed"
  end,
}
