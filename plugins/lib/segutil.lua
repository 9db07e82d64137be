-- segutil: helpers shared by the bundled Segwork plugins.
-- Load it with `local segutil = require "segutil"` (the host finds it in plugins/lib).
--
-- Quantile scoring. A column's breakpoints come from the statistics `prepare` receives:
-- for quintiles, b1..b4 = p[20], p[40], p[60], p[80]. A value's score counts the breakpoints
-- strictly below it, so the scores are the intervals
--     (-inf, b1], (b1, b2], (b2, b3], (b3, b4], (b4, +inf)
-- and a value equal to a breakpoint falls in the interval that breakpoint closes.
--   score_up   (higher is better, e.g. frequency): 1 for the first interval ... 5 for the last.
--   score_down (lower is better, e.g. recency):    5 for the first interval ... 1 for the last.
-- Equal breakpoints (many customers with the same value) make some scores unreachable; that is
-- the honest result of quantiles over tied data, not an error.

local segutil = {}

--- Breakpoints splitting `column` into `parts` equal-frequency groups: p[100*k/parts] for
--- k = 1 .. parts-1 (parts must divide 100). `who` names the calling plugin in errors.
--- A column with no values at all gives no breakpoints (every value then scores the same).
function segutil.quantile_breaks(stats, column, parts, who)
  who = who or "segutil"
  local st = stats and stats[column]
  if st == nil then
    error(who .. ": no statistics for column '" .. column
      .. "'; the host passes statistics for every column in `uses`", 2)
  end
  if math.type(parts) ~= "integer" or parts < 2 or 100 % parts ~= 0 then
    error(who .. ": quantile parts must be an integer that divides 100, got " .. tostring(parts), 2)
  end
  local breaks = {}
  if (st.count or 0) == 0 then return breaks end
  if type(st.p) ~= "table" then
    error(who .. ": statistics for column '" .. column .. "' have no percentiles; is it numeric?", 2)
  end
  for k = 1, parts - 1 do
    local v = st.p[k * (100 // parts)]
    if type(v) ~= "number" then
      error(who .. ": percentile " .. (k * (100 // parts)) .. " of column '" .. column
        .. "' is missing", 2)
    end
    breaks[k] = v
  end
  return breaks
end

--- Quintile breakpoints {p[20], p[40], p[60], p[80]} of `column`.
function segutil.quintile_breaks(stats, column, who)
  return segutil.quantile_breaks(stats, column, 5, who)
end

--- How many breakpoints lie strictly below `value`.
function segutil.count_below(breaks, value)
  local n = 0
  for i = 1, #breaks do
    if breaks[i] < value then n = n + 1 end
  end
  return n
end

--- Score where a higher value is better: 1 + breakpoints strictly below (1 .. #breaks+1).
function segutil.score_up(breaks, value)
  return 1 + segutil.count_below(breaks, value)
end

--- Score where a lower value is better: #breaks+1 - breakpoints strictly below (#breaks+1 .. 1).
function segutil.score_down(breaks, value)
  return #breaks + 1 - segutil.count_below(breaks, value)
end

--- Errors unless `list` is a non-empty array of strictly increasing numbers; `what` names it.
function segutil.check_increasing(list, what)
  if type(list) ~= "table" or #list == 0 then
    error(what .. " must be a non-empty list of numbers", 2)
  end
  for i = 1, #list do
    if type(list[i]) ~= "number" then
      error(what .. "[" .. i .. "] must be a number, got " .. type(list[i]), 2)
    end
    if i > 1 and not (list[i] > list[i - 1]) then
      error(what .. " must be strictly increasing, but item " .. i .. " (" .. tostring(list[i])
        .. ") is not greater than item " .. (i - 1) .. " (" .. tostring(list[i - 1]) .. ")", 2)
    end
  end
end

--- A string for a possibly-missing value in messages: "nil" or the value.
function segutil.show(value)
  if value == nil then return "nil" end
  if math.type(value) == "float" and value == math.floor(value) and math.abs(value) < 2^53 then
    return string.format("%d", value)
  end
  return tostring(value)
end

return segutil
