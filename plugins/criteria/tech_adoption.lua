-- tech_adoption: how digital a customer is, from the online share of their orders and whether they use the app.
--
--   online share = online_orders / (online_orders + store_orders); a missing count reads as 0
--   no orders (both 0 or missing)                                   -> none_label ("No orders"; "" = unassigned)
--   share >= digital_min_share (0.8)                                -> "Digital-first"
--   app_user is true and share >= app_digital_min_share (0.5)       -> "Digital-first"
--   share <= offline_max_share (0.2) and app_user is not true       -> "Offline"
--   otherwise                                                       -> "Omnichannel"
-- app_user is a yes/no flag: true/false, yes/no, y/n or 1/0 in any case, or a boolean column; missing counts as
-- not an app user, and any other value is an error naming it. Counts may arrive as text ("3"): text that is not
-- a number is an error. Thresholds are inclusive; negative counts are an error.
local segutil = require "segutil"

return {
  api = 1,
  kind = "criterion",
  name = "tech_adoption",
  version = "1.1.0",
  description = "Digital-first, Omnichannel or Offline from the online share of orders and app usage",
  uses = { "online_orders", "store_orders", "app_user" },
  params = {
    digital_min_share = 0.8,      -- at least this online share: Digital-first
    app_digital_min_share = 0.5,  -- app users need only this share to be Digital-first
    offline_max_share = 0.2,      -- at most this share and no app: Offline
    none_label = "No orders",     -- no orders; "" leaves them unassigned
  },
  labels = { "Digital-first", "Omnichannel", "Offline", "No orders" },
  descriptions = {
    ["Digital-first"] = "Orders mostly online, or uses the app and orders online half the time or more",
    Omnichannel = "Orders both online and in store",
    Offline = "Orders mostly in store and does not use the app",
    ["No orders"] = "Has no online or store orders",
  },

  prepare = function(_, p)
    if not (p.offline_max_share >= 0 and p.offline_max_share < p.app_digital_min_share
        and p.app_digital_min_share <= p.digital_min_share and p.digital_min_share <= 1) then
      error("tech_adoption: need 0 <= offline_max_share < app_digital_min_share <= digital_min_share <= 1, got "
        .. tostring(p.offline_max_share) .. ", " .. tostring(p.app_digital_min_share) .. ", "
        .. tostring(p.digital_min_share))
    end
  end,

  assign = function(row, p)
    local online = segutil.number(row, "online_orders", "tech_adoption") or 0
    local store = segutil.number(row, "store_orders", "tech_adoption") or 0
    local app = segutil.flag(row, "app_user", "tech_adoption") == true
    if online < 0 or store < 0 then
      error("tech_adoption: order counts must be 0 or more, got online_orders " .. tostring(online)
        .. " and store_orders " .. tostring(store) .. "; fix or filter this row")
    end
    if online + store == 0 then
      if p.none_label == "" then return nil end
      return p.none_label
    end
    local share = online / (online + store)
    if share >= p.digital_min_share then return "Digital-first" end
    if app and share >= p.app_digital_min_share then return "Digital-first" end
    if share <= p.offline_max_share and not app then return "Offline" end
    return "Omnichannel"
  end,
}
