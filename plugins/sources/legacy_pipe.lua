-- legacy_pipe: reads the legacy survey export, a pipe-delimited text file inside the workspace.
--
--   # comment lines (first non-blank character '#') and blank lines are skipped anywhere
--   customer_id|nps_score|survey_date          <- header: the first other line, names as shown
--   C001 | 9 | 05/01/2023                        <- records: fields are trimmed
--
-- customer_id  string, must not be empty
-- nps_score    integer (digits, optional sign), or empty for no answer (missing); "7.0" is read as 7,
--              "7.5", "1e1" or "seven" are errors
-- survey_date  DD/MM/YYYY (one- or two-digit day and month), emitted as "YYYY-MM-DD"; empty = missing
-- Windows line endings and a UTF-8 byte order mark are accepted. Every problem is an error naming the
-- 1-based line of the file, e.g. "legacy_pipe: line 7: expected 3 fields, got 2".

local FIELDS = { "customer_id", "nps_score", "survey_date" }

local DAYS_IN_MONTH = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function is_leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end

local function fail(n, message) error(string.format("legacy_pipe: line %d: %s", n, message), 0) end

-- "DD/MM/YYYY" -> "YYYY-MM-DD", or nil when the text is not a real calendar date.
local function iso_date(text)
  local d, m, y = text:match("^(%d%d?)/(%d%d?)/(%d%d%d%d)$")
  if d == nil then return nil end
  d, m, y = tonumber(d), tonumber(m), tonumber(y)
  if m < 1 or m > 12 or d < 1 then return nil end
  local last = DAYS_IN_MONTH[m]
  if m == 2 and is_leap(y) then last = 29 end
  if d > last then return nil end
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- "42", "-3", "7.0" -> integer; anything else (7.5, 1e3, 0x10, words) -> nil.
local function whole_number(text)
  local digits = text:match("^([+-]?%d+)$") or text:match("^([+-]?%d+)%.0*$")
  if digits == nil then return nil end
  return math.tointeger(tonumber(digits))
end

return {
  api = 1,
  kind = "source",
  name = "legacy_pipe",
  version = "1.0.0",
  description = "Legacy pipe-delimited survey export: customer_id|nps_score|survey_date (DD/MM/YYYY)",
  columns = {
    { name = "customer_id", type = "string" },
    { name = "nps_score", type = "integer" },
    { name = "survey_date", type = "date" },
  },
  params = {
    file = "data/legacy_survey.txt",   -- path inside the workspace
  },

  read = function(src, p)
    local n = 0
    local seen_header = false
    for raw in src:lines(p.file) do
      n = n + 1
      local line = raw
      if n == 1 and line:sub(1, 3) == "\239\187\191" then line = line:sub(4) end
      line = seg.trim(line)
      if line ~= "" and line:sub(1, 1) ~= "#" then
        local fields = seg.split(line, "|")
        if #fields ~= #FIELDS then
          fail(n, string.format("expected %d fields, got %d", #FIELDS, #fields))
        end
        for i = 1, #fields do fields[i] = seg.trim(fields[i]) end
        if not seen_header then
          for i = 1, #FIELDS do
            if fields[i]:lower() ~= FIELDS[i] then
              fail(n, "expected the header " .. table.concat(FIELDS, "|") .. ", got " .. line)
            end
          end
          seen_header = true
        else
          local id, score_text, date_text = fields[1], fields[2], fields[3]
          if id == "" then fail(n, "customer_id is empty") end
          local score, date = nil, nil
          if score_text ~= "" then
            score = whole_number(score_text)
            if score == nil then
              fail(n, "nps_score '" .. score_text .. "' is not a whole number")
            end
          end
          if date_text ~= "" then
            date = iso_date(date_text)
            if date == nil then
              fail(n, "survey_date '" .. date_text .. "' is not a valid DD/MM/YYYY date")
            end
          end
          src:emit({ customer_id = id, nps_score = score, survey_date = date })
        end
      end
    end
    if not seen_header then
      error("legacy_pipe: " .. p.file .. " has no header line (expected "
        .. table.concat(FIELDS, "|") .. ")", 0)
    end
  end,
}
