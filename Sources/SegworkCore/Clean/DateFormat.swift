/// Parses dates written in strftime-style formats, with no locale and no time zone: `%Y` (4-digit year),
/// `%y` (2-digit year: 69–99 → 19xx, 00–68 → 20xx, as POSIX), `%m` (month, 1 or 2 digits), `%d` (day, 1 or 2
/// digits), `%b` (English month name or its 3-letter abbreviation, any case), `%%` (a percent sign). Every other
/// character must appear as written. The whole text must match.
enum DateFormat {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let fullMonths = ["january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december"]

    /// Why `format` cannot be used, or nil when it can.
    static func problem(_ format: String) -> String? {
        let f = Array(format)
        var i = 0, fields = Set<Character>()
        while i < f.count {
            if f[i] == "%" {
                guard i + 1 < f.count, "Yymdb%".contains(f[i + 1]) else {
                    return "uses an unknown directive '\(i + 1 < f.count ? "%\(f[i + 1])" : "%")'; known: %Y %y %m %d %b %%"
                }
                fields.insert(f[i + 1] == "y" ? "Y" : (f[i + 1] == "b" ? "m" : f[i + 1]))
                i += 2
            } else {
                i += 1
            }
        }
        return ["Y", "m", "d"].allSatisfy(fields.contains) ? nil : "needs a year (%Y or %y), a month (%m or %b) and a day (%d)"
    }

    /// The date `text` spells in `format`, or nil.
    static func parse(_ text: String, format: String) -> CivilDate? {
        let t = Array(text.unicodeScalars), f = Array(format.unicodeScalars)
        var ti = 0, fi = 0
        var year: Int?, month: Int?, day: Int?
        func digits(min: Int, max: Int) -> Int? {
            var n = 0, count = 0
            while count < max, ti < t.count, (48...57).contains(t[ti].value) {
                n = n * 10 + Int(t[ti].value) - 48; ti += 1; count += 1
            }
            return count >= min ? n : nil
        }
        while fi < f.count {
            if f[fi] == "%", fi + 1 < f.count {
                switch f[fi + 1] {
                case "Y": year = digits(min: 4, max: 4)
                case "y": year = digits(min: 2, max: 2).map { $0 >= 69 ? 1900 + $0 : 2000 + $0 }
                case "m": month = digits(min: 1, max: 2)
                case "d": day = digits(min: 1, max: 2)
                case "b":
                    var word = ""
                    while ti < t.count, t[ti].properties.isAlphabetic { word.unicodeScalars.append(t[ti]); ti += 1 }
                    let w = word.lowercased()
                    month = (months.firstIndex(of: w) ?? fullMonths.firstIndex(of: w)).map { $0 + 1 }
                case "%":
                    guard ti < t.count, t[ti] == "%" else { return nil }
                    ti += 1
                default: return nil
                }
                fi += 2
            } else {
                guard ti < t.count, t[ti] == f[fi] else { return nil }
                ti += 1; fi += 1
            }
        }
        guard ti == t.count, let year, let month, let day else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }
}
