-- phone_e164: phone numbers written many ways ("07700 900123", "(0)20-7946 0018", "+44 7700 900123",
-- "0044 7700 900123") rewritten to one E.164 form ("+447700900123"), so equal numbers compare equal.
--
--   Spaces, dots, dashes, slashes and parentheses are dropped; an extension ("x12", "ext. 12") is cut off.
--   Then, on the digits:
--     written with a leading "+"              -> already international: "+" .. digits
--     starting with international_prefix (00) -> that prefix is dropped:   "+" .. rest
--     starting with trunk_prefix (0)          -> it is replaced by default_country: "+44" .. rest
--     anything else                           -> a national number without trunk prefix: "+44" .. digits
--   A result with fewer than min_digits or more than 15 digits (E.164's maximum), or a value with any
--   other character (a letter, "n/a"), is not a phone number: with invalid = "missing" (default) the
--   value becomes missing, with "drop" the row is dropped, with "keep" it is left as it was.
--   A missing phone stays missing; other columns are never touched (the plugin uses only `phone`;
--   map another column with `columns: { phone: mobile }` in the clean step).
-- The built-in steps cannot do this: the result depends on how each value starts, not on its whole text.

local VALID_INVALID = { missing = true, drop = true, keep = true }

-- The digits of s and whether it starts with "+"; nil when s holds anything but digits, white space and
-- + - . ( ) / (a "+" only in front).
local function digits_of(s)
  local plus = s:find("^%s*%+") ~= nil
  local first = plus and s:find("+", 1, true) + 1 or 1
  if s:find("[^%d%s%-%.%(%)/]", first) then return nil end
  return (s:gsub("%D", "")), plus
end

-- Whether byte b is white space as Lua's %s is (tab, line feed, vertical tab, form feed, carriage return, space).
local function is_space(b) return b == 32 or (b >= 9 and b <= 13) end

-- s without a trailing extension: white space, then "x", "ext" or "ext." (any case), white space, digits, white
-- space at the end ("x12", "ext 12", "ext. 12"). Scanned once from the end, so the time is linear in the length:
-- the pattern "%s*[eE]?[xX][tT]?%.?%s*%d+%s*$" would be retried at every position and, on a long run of spaces,
-- take time quadratic in it.
local function without_extension(s)
  local i = #s
  local byte = string.byte
  while i > 0 and is_space(byte(s, i)) do i = i - 1 end
  local digits_end = i
  while i > 0 and byte(s, i) >= 48 and byte(s, i) <= 57 do i = i - 1 end
  if i == digits_end then return s end                                  -- no digits: no extension
  while i > 0 and is_space(byte(s, i)) do i = i - 1 end
  if i > 0 and byte(s, i) == 46 then i = i - 1 end                      -- "."
  if i > 0 and (byte(s, i) == 116 or byte(s, i) == 84) then i = i - 1 end  -- "t" or "T"
  if not (i > 0 and (byte(s, i) == 120 or byte(s, i) == 88)) then return s end  -- "x" or "X" is required
  i = i - 1
  if i > 0 and (byte(s, i) == 101 or byte(s, i) == 69) then i = i - 1 end  -- "e" or "E"
  while i > 0 and is_space(byte(s, i)) do i = i - 1 end
  return s:sub(1, i)
end

local function starts_with(s, prefix) return prefix ~= "" and s:find(prefix, 1, true) == 1 end

return {
  api = 1,
  kind = "cleaner",
  name = "phone_e164",
  version = "1.0.0",
  description = "Phone numbers rewritten to E.164 (+ country code and number); unusable ones made missing",
  uses = { "phone" },
  params = {
    default_country = "44",       -- country calling code for numbers written without one
    trunk_prefix = "0",           -- national trunk prefix replaced by the country code ("" for none)
    international_prefix = "00",  -- dialled before a country code ("011" in North America)
    min_digits = 8,               -- shortest acceptable result, country code included
    invalid = "missing",          -- what to do with a value that is not a phone number: missing, drop or keep
  },

  prepare = function(_, p)
    if type(p.default_country) ~= "string" or not p.default_country:match("^[1-9]%d?%d?$") then
      error("phone_e164: default_country must be 1 to 3 digits not starting with 0, got "
        .. tostring(p.default_country))
    end
    if type(p.trunk_prefix) ~= "string" or not p.trunk_prefix:match("^%d*$") then
      error("phone_e164: trunk_prefix must be a string of digits (\"\" for none), got " .. tostring(p.trunk_prefix))
    end
    if type(p.international_prefix) ~= "string" or not p.international_prefix:match("^%d+$") then
      error("phone_e164: international_prefix must be a non-empty string of digits, got \""
        .. tostring(p.international_prefix) .. "\"")
    end
    if math.tointeger(p.min_digits) == nil or p.min_digits < 1 or p.min_digits > 15 then
      error("phone_e164: min_digits must be a whole number from 1 to 15, got " .. tostring(p.min_digits))
    end
    if not VALID_INVALID[p.invalid] then
      error("phone_e164: invalid must be \"missing\", \"drop\" or \"keep\", got " .. tostring(p.invalid))
    end
  end,

  clean = function(row, p)
    local raw = row.phone
    if raw == nil then return row end
    local s = raw
    if s:find("[xX]") then s = without_extension(s) end   -- "x12", "ext 12", "ext. 12"
    local digits, plus = digits_of(s)
    local number
    if digits ~= nil and digits ~= "" then
      if plus then
        number = digits
      elseif starts_with(digits, p.international_prefix) then
        number = digits:sub(#p.international_prefix + 1)
      elseif starts_with(digits, p.trunk_prefix) then
        number = p.default_country .. digits:sub(#p.trunk_prefix + 1)
      else
        number = p.default_country .. digits
      end
      if #number < p.min_digits or #number > 15 or number:byte(1) == 48 then number = nil end   -- 48: "0"
    end
    if number == nil then
      if p.invalid == "drop" then return nil end
      if p.invalid == "missing" then row.phone = nil end
      return row
    end
    row.phone = "+" .. number
    return row
  end,
}
