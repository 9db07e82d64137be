-- engagement: High, Moderate or Disengaged from activity counts over one window (e.g. the last 90 days):
-- site/app sessions, email opens and email clicks.
--
--   points = session_weight (1) * sessions + open_weight (0.5) * email_opens + click_weight (2) * email_clicks
--   all three counts missing         -> nil (unassigned: no activity data)
--   one or two counts missing        -> read as 0
--   points >= high_min_points (10)   -> "High"
--   points >= moderate_min_points (3) -> "Moderate"
--   otherwise                        -> "Disengaged"
-- Thresholds are inclusive. With the defaults: 10 sessions alone is High; 4 opens and 1 click (4 points) is
-- Moderate; 4 opens alone (2 points) is Disengaged. Negative counts, and text that is not a number, are an error.
local segutil = require "segutil"
return {
  api = 1,
  kind = "criterion",
  name = "engagement",
  version = "1.1.0",
  description = "High, Moderate or Disengaged from weighted sessions, email opens and clicks over a window",
  uses = { "sessions", "email_opens", "email_clicks" },
  params = {
    session_weight = 1.0,
    open_weight = 0.5,
    click_weight = 2.0,
    high_min_points = 10,      -- at least this many points: High
    moderate_min_points = 3,   -- at least this many (but fewer than high): Moderate
  },
  labels = { "High", "Moderate", "Disengaged" },
  descriptions = {
    High = "Very active lately: many sessions, opens and clicks",
    Moderate = "Some recent sessions, opens or clicks",
    Disengaged = "Little or no recent activity",
  },

  prepare = function(_, p)
    for _, name in ipairs({ "session_weight", "open_weight", "click_weight" }) do
      if p[name] < 0 then error("engagement: " .. name .. " must be 0 or more, got " .. tostring(p[name])) end
    end
    if not (p.high_min_points > p.moderate_min_points and p.moderate_min_points > 0) then
      error("engagement: need 0 < moderate_min_points < high_min_points, got " .. tostring(p.moderate_min_points)
        .. " and " .. tostring(p.high_min_points))
    end
  end,

  assign = function(row, p)
    local s = segutil.number(row, "sessions", "engagement")
    local o = segutil.number(row, "email_opens", "engagement")
    local c = segutil.number(row, "email_clicks", "engagement")
    if s == nil and o == nil and c == nil then return nil end
    s, o, c = s or 0, o or 0, c or 0
    if s < 0 or o < 0 or c < 0 then
      error("engagement: counts must be 0 or more, got sessions " .. tostring(s) .. ", email_opens " .. tostring(o)
        .. ", email_clicks " .. tostring(c) .. "; fix or filter this row")
    end
    local points = p.session_weight * s + p.open_weight * o + p.click_weight * c
    if points >= p.high_min_points then return "High" end
    if points >= p.moderate_min_points then return "Moderate" end
    return "Disengaged"
  end,
}
