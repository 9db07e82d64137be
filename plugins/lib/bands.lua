-- bands: named bands from ascending bounds, shared by the bundled method plugins.
-- Load it with `local bands = require "bands"`.
--
-- With bounds b1 < b2 < ... < bn and labels L1 .. L(n+1):
--     value < b1 -> L1,   b1 <= value < b2 -> L2,   ...,   value >= bn -> L(n+1)
-- A band starts at its bound: a value equal to a bound belongs to the band above it.

local segutil = require "segutil"

local bands = {}

--- Errors unless `bounds` is a strictly increasing list of numbers and `labels` holds one more non-empty string.
--- `who` names the plugin and the parameters in the message ("order_value: aov").
function bands.check(bounds, labels, who, bounds_name, labels_name)
  segutil.check_increasing(bounds, who .. ": " .. bounds_name)
  if type(labels) ~= "table" or #labels ~= #bounds + 1 then
    error(who .. ": " .. labels_name .. " needs " .. (#bounds + 1) .. " entries (one more than " .. bounds_name
      .. "), got " .. (type(labels) == "table" and #labels or type(labels)), 2)
  end
  for i = 1, #labels do
    if type(labels[i]) ~= "string" or labels[i] == "" then
      error(who .. ": " .. labels_name .. "[" .. i .. "] must be a non-empty string", 2)
    end
  end
end

--- The 1-based band of `value`: 1 + the number of bounds at or below it.
function bands.index(bounds, value)
  local n = 1
  for i = 1, #bounds do
    if bounds[i] <= value then n = n + 1 end
  end
  return n
end

--- The label of `value`'s band.
function bands.label(bounds, labels, value)
  return labels[bands.index(bounds, value)]
end

return bands
