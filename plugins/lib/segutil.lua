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
  if type(st.p) ~= "table" then segutil.numeric_stats(stats, column, who) end
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

-- Reading values. A row's fields arrive as the host typed their column: numbers, booleans, text (a column with one
-- stray value, e.g. "abc" among numbers or "yes" among true/false, is read as text), or nil when missing.
-- segutil.number and segutil.flag accept the usual spellings and turn anything else into an error that names the
-- plugin, the field, the value and what to do, instead of a silent wrong answer or a raw Lua error.

local function show_text(v)
  if #v > 40 then v = v:sub(1, 37) .. "..." end
  return "'" .. v .. "'"
end

local function describe(value)
  if type(value) == "string" then return "text " .. show_text(value) end
  if type(value) == "boolean" then return "the boolean " .. tostring(value) end
  if type(value) == "number" then return "the number " .. segutil.show(value) end
  return "a " .. type(value)
end

--- The number a decimal text holds ("42", " -5.5 ", "1e3"), or nil when it holds none. Hexadecimal, "inf",
--- "nan" and decimal commas ("5,5") are not numbers here.
function segutil.parse_number(text)
  local t = seg.trim(text)
  if t:find("^[+-]?%d+%.?%d*[eE][+-]?%d+$") or t:find("^[+-]?%d+%.?%d*$")
      or t:find("^[+-]?%.%d+[eE][+-]?%d+$") or t:find("^[+-]?%.%d+$") then
    return tonumber(t)
  end
  return nil
end

--- row[field] as a number: nil when missing or blank text; a number as it is; text holding a decimal number as that
--- number. Anything else (other text, a boolean) is an error naming `who`, the field and the value.
function segutil.number(row, field, who)
  local v = row[field]
  if v == nil or type(v) == "number" then return v end
  if type(v) == "string" then
    if seg.trim(v) == "" then return nil end
    local n = segutil.parse_number(v)
    if n ~= nil then return n end
  end
  error(who .. ": " .. field .. " must be a number, got " .. describe(v) .. "; clean that value, or declare the "
    .. "column double (or integer) in the dataset's schema, which names every value that is not a number with its "
    .. "line", 2)
end

local FLAG_WORDS = { ["true"] = true, yes = true, y = true, ["1"] = true,
                     ["false"] = false, no = false, n = false, ["0"] = false }

--- The accepted spellings of a yes/no flag, for messages and docs.
segutil.FLAG_FORMS = "true/false, yes/no, y/n or 1/0 (any case), or a boolean column"

--- row[field] as a boolean: nil when missing or blank text; true/false as they are; the numbers 1 and 0; the texts
--- true/false, yes/no, y/n, 1/0 in any case (surrounding spaces ignored). Anything else is an error naming `who`, the
--- field, the value and the accepted forms.
function segutil.flag(row, field, who)
  local v = row[field]
  if v == nil or type(v) == "boolean" then return v end
  if type(v) == "number" then
    if v == 1 then return true end
    if v == 0 then return false end
  elseif type(v) == "string" then
    local t = segutil.fold(v)
    if t == "" then return nil end
    local b = FLAG_WORDS[t]
    if b ~= nil then return b end
  end
  error(who .. ": " .. field .. " must be a yes/no flag, got " .. describe(v) .. "; write it as "
    .. segutil.FLAG_FORMS, 2)
end

--- The statistics of `column`, erroring when the column was read as text (the host computes percentiles and means
--- only for numeric columns). `who` names the plugin. Returns nil when there are no statistics for the column.
function segutil.numeric_stats(stats, column, who)
  local st = stats and stats[column]
  if st == nil or (st.count or 0) == 0 or type(st.p) == "table" then return st end
  local example = ""
  for _, t in ipairs(st.top or {}) do
    if type(t.value) == "string" and segutil.parse_number(t.value) == nil then
      example = " (e.g. " .. show_text(t.value) .. ")"
      break
    end
  end
  error(who .. ": " .. column .. " must be a number, but its column was read as text" .. example
    .. ", so it has no percentiles; clean the values that are not numbers, or declare the column double (or "
    .. "integer) in the dataset's schema, which names each of them with its line", 2)
end

-- Case folding beyond ASCII (Lua's string.lower is ASCII-only): upper-case letters of Latin-1, Latin Extended-A,
-- the Romanian/Latin Extended-B letters U+0200-U+0233, Greek and Cyrillic map to their lower case. Other
-- characters are kept as they are.
local function lower_code(c)
  if c < 0x80 then
    if c >= 0x41 and c <= 0x5A then return c + 0x20 end
    return c
  end
  if c >= 0xC0 and c <= 0xDE and c ~= 0xD7 then return c + 0x20 end
  if c == 0x178 then return 0xFF end
  if c == 0x130 then return 0x69 end                                   -- İ -> i
  if (c >= 0x100 and c <= 0x137) or (c >= 0x14A and c <= 0x177) then
    return c | 1                                                       -- even capital, odd small
  end
  if (c >= 0x139 and c <= 0x148) or (c >= 0x179 and c <= 0x17E) then
    if c % 2 == 1 then return c + 1 end                                -- odd capital, even small
    return c
  end
  if (c >= 0x200 and c <= 0x21F) or (c >= 0x222 and c <= 0x233) then return c | 1 end
  if c >= 0x391 and c <= 0x3AB and c ~= 0x3A2 then return c + 0x20 end -- Greek capitals
  if c == 0x386 then return 0x3AC end
  if c >= 0x388 and c <= 0x38A then return c + 0x25 end
  if c == 0x38C then return 0x3CC end
  if c == 0x38E or c == 0x38F then return c + 0x3F end
  if c == 0x3C2 then return 0x3C3 end                                  -- final sigma folds to sigma
  if c >= 0x410 and c <= 0x42F then return c + 0x20 end                -- Cyrillic capitals
  if c >= 0x400 and c <= 0x40F then return c + 0x50 end
  if (c >= 0x460 and c <= 0x481) or (c >= 0x48A and c <= 0x4BF) or (c >= 0x4D0 and c <= 0x52F) then
    return c | 1
  end
  if c == 0x4C0 then return 0x4CF end
  if c >= 0x4C1 and c <= 0x4CE then
    if c % 2 == 1 then return c + 1 end
    return c
  end
  return c
end

local APOSTROPHES = { [0x2018] = 0x27, [0x2019] = 0x27, [0x02BC] = 0x27, [0x2032] = 0x27, [0x00B4] = 0x27,
                      [0x60] = 0x27 }
local SPACES = { [0x09] = true, [0x0A] = true, [0x0B] = true, [0x0C] = true, [0x0D] = true, [0x20] = true,
                 [0xA0] = true, [0x2007] = true, [0x202F] = true }

--- `s` in lower case (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic; see lower_code), for comparing text
--- without regard to case. Text that is not valid UTF-8 is lowered byte by byte (ASCII only).
function segutil.lower(s)
  if utf8.len(s) == nil then return s:lower() end
  local out = {}
  for _, c in utf8.codes(s) do out[#out + 1] = utf8.char(lower_code(c)) end
  return table.concat(out)
end

--- A key for matching names as people type them: lower case as segutil.lower; the apostrophes ’ ‘ ʼ ′ ´ ` read as
--- '; dots removed ("U.S." = "US"); runs of spaces (also no-break spaces and tabs) made one space; trimmed.
function segutil.fold(s)
  if utf8.len(s) == nil then
    return (s:lower():gsub("%.", ""):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
  end
  local out, space = {}, false
  for _, c in utf8.codes(s) do
    c = APOSTROPHES[c] or lower_code(c)
    if SPACES[c] then
      space = #out > 0
    elseif c ~= 0x2E then
      if space then out[#out + 1] = " "; space = false end
      out[#out + 1] = utf8.char(c)
    end
  end
  return table.concat(out)
end

return segutil
