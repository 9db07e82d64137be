-- channel_mix: where a customer orders, from their online and store order counts.
--
--   both counts missing                        -> nil (unassigned)
--   one count missing                          -> read as 0
--   online + store = 0                         -> none_label ("No orders"; "" = unassigned)
--   store = 0                                  -> "Online only"
--   online = 0                                 -> "Store only"
--   online share >= mostly_share (0.7)         -> "Mostly online"
--   online share <= 1 - mostly_share (0.3)     -> "Mostly store"
--   otherwise                                  -> "Mixed"
-- online share = online_orders / (online_orders + store_orders). Negative counts, and text that is not a number,
-- are an error.
local segutil = require "segutil"
return {
  api = 1,
  kind = "criterion",
  name = "channel_mix",
  version = "1.1.0",
  description = "Online only, Mostly online, Mixed, Mostly store or Store only from order counts per channel",
  uses = { "online_orders", "store_orders" },
  params = {
    mostly_share = 0.7,        -- this online share and above is Mostly online; 1 - it and below Mostly store
    none_label = "No orders",  -- no orders in either channel; "" leaves them unassigned
  },
  labels = { "Online only", "Mostly online", "Mixed", "Mostly store", "Store only", "No orders" },
  descriptions = {
    ["Online only"] = "Orders online, never in store",
    ["Mostly online"] = "Orders mostly online, sometimes in store",
    Mixed = "Orders both online and in store",
    ["Mostly store"] = "Orders mostly in store, sometimes online",
    ["Store only"] = "Orders in store, never online",
    ["No orders"] = "Has no online or store orders",
  },

  prepare = function(_, p)
    if not (p.mostly_share > 0.5 and p.mostly_share < 1) then
      error("channel_mix: mostly_share must be above 0.5 and below 1, got " .. tostring(p.mostly_share))
    end
  end,

  assign = function(row, p)
    local online = segutil.number(row, "online_orders", "channel_mix")
    local store = segutil.number(row, "store_orders", "channel_mix")
    if online == nil and store == nil then return nil end
    online, store = online or 0, store or 0
    if online < 0 or store < 0 then
      error("channel_mix: order counts must be 0 or more, got online_orders " .. tostring(online)
        .. " and store_orders " .. tostring(store) .. "; fix or filter this row")
    end
    if online + store == 0 then
      if p.none_label == "" then return nil end
      return p.none_label
    end
    if store == 0 then return "Online only" end
    if online == 0 then return "Store only" end
    local share = online / (online + store)
    if share >= p.mostly_share then return "Mostly online" end
    if share <= 1 - p.mostly_share then return "Mostly store" end
    return "Mixed"
  end,
}
