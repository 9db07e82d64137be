-- value_score: a 0-100 customer value score from weighted RFM quintile scores.
--
-- R, F and M are the quintile scores 1..5 used by the rfm criterion (same breakpoints, same tie
-- rule; see plugins/lib/segutil.lua): F and M = 1 + breakpoints strictly below the value,
-- R = 5 - breakpoints strictly below recency_days.
--
--   value_score = 100 * (w_r*(R-1) + w_f*(F-1) + w_m*(M-1)) / (4 * (w_r + w_f + w_m))
--
-- so all-1 scores give 0, all-5 scores give 100, and with equal weights each step of one score
-- adds 100/12 = 8.33... points. w_r, w_f, w_m are the params weight_recency, weight_frequency and
-- weight_monetary (default 1 each; 0 drops a score; they must not be negative and must not all be 0).
-- A customer missing any of recency_days, frequency or monetary gets no score (nil).

local segutil = require "segutil"

return {
  api = 1,
  kind = "scorer",
  name = "value_score",
  version = "1.1.0",
  description = "0-100 value score from weighted recency, frequency and monetary quintile scores",
  uses = { "recency_days", "frequency", "monetary" },
  output = "value_score",
  params = {
    weight_recency = 1.0,    -- weight of R (floats, so 0.5 or 2 are both accepted as overrides)
    weight_frequency = 1.0,  -- weight of F
    weight_monetary = 1.0,   -- weight of M
  },

  prepare = function(stats, p)
    local total = 0
    for _, name in ipairs({ "weight_recency", "weight_frequency", "weight_monetary" }) do
      if not (p[name] >= 0) then
        error("value_score: " .. name .. " must be 0 or more, got " .. tostring(p[name]))
      end
      total = total + p[name]
    end
    if not (total > 0) then
      error("value_score: at least one of weight_recency, weight_frequency, weight_monetary must be > 0")
    end
    return {
      r_breaks = segutil.quintile_breaks(stats, "recency_days", "value_score"),
      f_breaks = segutil.quintile_breaks(stats, "frequency", "value_score"),
      m_breaks = segutil.quintile_breaks(stats, "monetary", "value_score"),
    }
  end,

  score = function(row, p)
    if p.r_breaks == nil then
      error("value_score: breakpoints are missing; prepare(stats, p) must run before score")
    end
    local recency = segutil.number(row, "recency_days", "value_score")
    local frequency = segutil.number(row, "frequency", "value_score")
    local monetary = segutil.number(row, "monetary", "value_score")
    if recency == nil or frequency == nil or monetary == nil then return nil end
    local r = segutil.score_down(p.r_breaks, recency)
    local f = segutil.score_up(p.f_breaks, frequency)
    local m = segutil.score_up(p.m_breaks, monetary)
    local wr, wf, wm = p.weight_recency, p.weight_frequency, p.weight_monetary
    return 100 * (wr * (r - 1) + wf * (f - 1) + wm * (m - 1)) / (4 * (wr + wf + wm))
  end,
}
