import Foundation

/// A date format in strftime style, compiled once and matched on bytes (no locale, no time zone, no allocation
/// per value). Shared by the readers (a schema entry's `format:`) and the cleaning step (`standardise` `dates:`).
///
/// Directives:
/// - `%Y` year, exactly 4 digits; `%y` 2-digit year (69–99 → 19xx, 00–68 → 20xx, as POSIX);
/// - `%m` month, 1 or 2 digits; `%b`, `%B`, `%h` English month name or its 3-letter abbreviation, any case;
/// - `%d` day, 1 or 2 digits; `%e` the same, optionally after one space (`" 5"`, as C's `%e` pads);
/// - `%H` `%M` `%S` hour (0–23), minute (0–59) and second (0–60), 1 or 2 digits each: checked, then ignored;
/// - `%%` a percent sign.
///
/// Every other character must appear as written. The whole value must match. Numeric directives take up to their
/// width greedily (`%Y%m%d` reads `20240701`). A format needs a year, a month and a day, each given once.
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    /// The format as written, e.g. `%d/%m/%Y`.
    public let pattern: String
    private let items: [Item]

    private enum Item: Equatable {
        case year4, year2, month, monthName, day, spaceDay, hour, minute, second
        case literal(UInt8)
    }

    /// A format that cannot be used: an unknown directive, or a missing or repeated date part.
    public struct Problem: SegworkError, CustomStringConvertible, Equatable {
        /// The format as written.
        public var pattern: String
        /// What is wrong, completing "format '<pattern>' …".
        public var reason: String
        /// `format '<pattern>' <reason>`.
        public var description: String { "format '\(pattern)' \(reason)" }
        /// Same as `description`.
        public var errorDescription: String? { description }
        /// A date format that cannot be compiled is a mistake in the definition.
        public var exitStatus: ExitStatus { .usage }
    }

    /// The directives, for messages.
    public static let directives = "%Y %y %m %b %B %h %d %e %H %M %S %%"

    /// Compiles `pattern`; throws a `Problem` naming an unknown directive or a missing or repeated part.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        var items: [Item] = []
        var it = pattern.unicodeScalars.makeIterator()
        var parts: [String: Int] = [:]
        while let c = it.next() {
            guard c == "%" else {
                items += String(c).utf8.map(Item.literal)
                continue
            }
            guard let d = it.next() else {
                throw Problem(pattern: pattern, reason: "ends with a lone '%'; write %% for a percent sign")
            }
            let item: Item, part: String
            switch d {
            case "Y": item = .year4; part = "year"
            case "y": item = .year2; part = "year"
            case "m": item = .month; part = "month"
            case "b", "B", "h": item = .monthName; part = "month"
            case "d": item = .day; part = "day"
            case "e": item = .spaceDay; part = "day"
            case "H": item = .hour; part = "hour"
            case "M": item = .minute; part = "minute"
            case "S": item = .second; part = "second"
            case "%": items.append(.literal(UInt8(ascii: "%"))); continue
            default:
                throw Problem(pattern: pattern, reason: "uses the unknown directive '%\(d)'; known: \(Self.directives)")
            }
            parts[part, default: 0] += 1
            if parts[part]! > 1 { throw Problem(pattern: pattern, reason: "gives the \(part) twice") }
            items.append(item)
        }
        let missing = ["year", "month", "day"].filter { parts[$0] == nil }
        if !missing.isEmpty {
            throw Problem(pattern: pattern, reason: "has no \(missing.joined(separator: " or ")); a date format needs "
                            + "a year (%Y or %y), a month (%m or %b) and a day (%d or %e)")
        }
        self.items = items
    }

    /// `pattern`.
    public var description: String { pattern }

    public static func == (a: DateFormat, b: DateFormat) -> Bool { a.pattern == b.pattern }

    private static let monthNames: [[UInt8]] = ["january", "february", "march", "april", "may", "june", "july",
                                                "august", "september", "october", "november", "december"]
        .map { Array($0.utf8) }

    /// The date `bytes` spell in this format, in days since 1970-01-01, or nil when they do not match or name
    /// no real calendar date.
    public func days(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let n = bytes.count
        var i = 0
        var year = 0, month = 0, day = 0
        @inline(__always) func digits(_ maxCount: Int, exactly: Bool = false) -> Int? {
            var v = 0, k = 0
            while k < maxCount, i < n {
                let d = Int(bytes[i]) &- 48
                guard d >= 0 && d <= 9 else { break }
                v = v * 10 + d; i += 1; k += 1
            }
            return k == 0 || (exactly && k < maxCount) ? nil : v
        }
        for item in items {
            switch item {
            case .literal(let b):
                guard i < n, bytes[i] == b else { return nil }
                i += 1
            case .year4: guard let v = digits(4, exactly: true) else { return nil }; year = v
            case .year2:
                guard let v = digits(2, exactly: true) else { return nil }
                year = v >= 69 ? 1900 + v : 2000 + v
            case .month: guard let v = digits(2) else { return nil }; month = v
            case .day: guard let v = digits(2) else { return nil }; day = v
            case .spaceDay:
                if i < n, bytes[i] == 0x20 { i += 1 }
                guard let v = digits(2) else { return nil }; day = v
            case .hour: guard let v = digits(2), v <= 23 else { return nil }
            case .minute: guard let v = digits(2), v <= 59 else { return nil }
            case .second: guard let v = digits(2), v <= 60 else { return nil }
            case .monthName:
                let start = i
                while i < n, (bytes[i] | 0x20) &- 0x61 < 26 { i += 1 }
                let length = i - start
                guard length >= 3 else { return nil }
                guard let m = Self.monthNames.firstIndex(where: { name in
                    (length == 3 || length == name.count) && length <= name.count
                        && (0..<length).allSatisfy { bytes[start + $0] | 0x20 == name[$0] }
                }) else { return nil }
                month = m + 1
            }
        }
        guard i == n else { return nil }
        return CivilDate(year: year, month: month, day: day)?.days
    }

    /// The date `text` spells in this format, or nil.
    public func date(_ text: String) -> CivilDate? {
        text.withUTF8Bytes { days($0) }.map(CivilDate.init(days:))
    }

    /// The first of `formats` that `bytes` match, as days since 1970-01-01.
    package static func days(_ bytes: UnsafeBufferPointer<UInt8>, in formats: [DateFormat]) -> Int32? {
        for f in formats { if let d = f.days(bytes) { return d } }
        return nil
    }

    /// Why `format` cannot be used (completing "format '<format>' …"), or nil when it can.
    package static func problem(_ format: String) -> String? {
        do { _ = try DateFormat(format); return nil } catch let p as Problem { return p.reason } catch { return "\(error)" }
    }

    /// The date `text` spells in `format`, or nil (also when the format cannot be used).
    static func parse(_ text: String, format: String) -> CivilDate? {
        (try? DateFormat(format))?.date(text)
    }
}
