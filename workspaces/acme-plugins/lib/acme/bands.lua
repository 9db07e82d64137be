-- acme.bands: the band lookup Acme's plugins share. `local bands = require "acme.bands"` finds it in this
-- library's lib/ (a plugin's require reaches its own library's lib/ and the bundled lib/, nothing else).

local bands = {}

--- The label of the band `value` falls in: `edges` ascending (n edges make n+1 bands), `labels` n+1 names.
--- A value equal to an edge belongs to the band above it. nil stays nil.
function bands.find(value, edges, labels)
  if value == nil then return nil end
  local i = 1
  while i <= #edges and value >= edges[i] do i = i + 1 end
  return labels[i]
end

--- Checks at prepare time that `edges` ascend strictly and that there is one more label than edges.
function bands.check(edges, labels, who)
  for i = 2, #edges do
    if not (edges[i] > edges[i - 1]) then
      error(who .. ": edges must ascend strictly, got " .. tostring(edges[i - 1]) .. " then " .. tostring(edges[i]), 3)
    end
  end
  if #labels ~= #edges + 1 then
    error(who .. ": need " .. (#edges + 1) .. " labels for " .. #edges .. " edges, got " .. #labels, 3)
  end
end

return bands
