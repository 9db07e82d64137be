/// A semantic version (semver.org 2.0): `MAJOR.MINOR.PATCH`, optionally `-pre.release` and `+build`. Plugins and
/// libraries declare one; definitions pin a `VersionRange`.
public struct SemanticVersion: Sendable, Comparable, CustomStringConvertible {
    /// The three numbers.
    public var major: Int, minor: Int, patch: Int
    /// Pre-release identifiers (`1.0.0-rc.1` → `["rc", "1"]`); empty for a release.
    public var prerelease: [String]
    /// Build metadata (ignored when comparing).
    public var build: String

    /// Parses `1.2.3`, `1.2.3-rc.1`, `1.2.3+build.5`; nil for anything else (`1.2`, `v1.2.3`, `01.2.3`).
    public init?(_ text: String) {
        var rest = Substring(text)
        var build = ""
        if let plus = rest.firstIndex(of: "+") {
            build = String(rest[rest.index(after: plus)...]); rest = rest[..<plus]
            guard !build.isEmpty, build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(Self.isIdentifier) else { return nil }
        }
        var pre: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            let tail = rest[rest.index(after: dash)...]
            let parts = tail.split(separator: ".", omittingEmptySubsequences: false)
            guard !tail.isEmpty, parts.allSatisfy({ Self.isIdentifier($0) && !(Self.isNumeric($0) && $0.count > 1 && $0.first == "0") })
            else { return nil }
            pre = parts.map(String.init); rest = rest[..<dash]
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3, numbers.allSatisfy(Self.isNumber) else { return nil }
        guard let a = Int(numbers[0]), let b = Int(numbers[1]), let c = Int(numbers[2]) else { return nil }
        major = a; minor = b; patch = c; prerelease = pre; self.build = build
    }

    /// Parses a plugin's declared version: a semantic version, or one with fewer numbers (`"1"` is 1.0.0, `"1.2"` is
    /// 1.2.0), which contract v1 plugins written before versions were compared often declare.
    public init?(lenient text: String) {
        if let v = SemanticVersion(text) { self = v; return }
        let cut = text.firstIndex { $0 == "-" || $0 == "+" } ?? text.endIndex
        let numbers = text[..<cut].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(numbers.count), numbers.allSatisfy(Self.isNumber) else { return nil }
        let padded = numbers.joined(separator: ".") + String(repeating: ".0", count: 3 - numbers.count) + text[cut...]
        guard let v = SemanticVersion(padded) else { return nil }
        self = v
    }

    /// A release version.
    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = []) {
        self.major = major; self.minor = minor; self.patch = patch; self.prerelease = prerelease; self.build = ""
    }

    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
            + (build.isEmpty ? "" : "+" + build)
    }

    /// Precedence as semver.org defines it: numbers, then a pre-release sorts before its release, identifiers
    /// compared numerically when both are numbers, else as ASCII text; build metadata is ignored.
    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) {
            return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
        }
        if a.prerelease.isEmpty || b.prerelease.isEmpty { return !a.prerelease.isEmpty && b.prerelease.isEmpty }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (Int(x), Int(y)) {
            case let (i?, j?): return i < j
            case (_?, nil): return true
            case (nil, _?): return false
            default: return x < y
            }
        }
        return a.prerelease.count < b.prerelease.count
    }

    public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch) && a.prerelease == b.prerelease
    }

    static func isNumber(_ s: Substring) -> Bool { isNumeric(s) && !(s.count > 1 && s.first == "0") }
    static func isNumeric(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
    static func isIdentifier(_ s: Substring) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}

/// A version range a definition pins (`version: "^1.2"`), with npm's meaning:
/// - `1.2.3` or `=1.2.3`: exactly that version; `1.2` / `1.2.x`: any 1.2.*; `1` / `1.x`: any 1.*; `*`: any;
/// - `^1.2.3`: `>=1.2.3 <2.0.0` (for 0.x, `^0.2.3` is `>=0.2.3 <0.3.0`, `^0.0.3` is `>=0.0.3 <0.0.4`); `^1.2` is `>=1.2.0 <2.0.0`;
/// - `~1.2.3`: `>=1.2.3 <1.3.0`; `~1.2`: `>=1.2.0 <1.3.0`; `~1`: `>=1.0.0 <2.0.0`;
/// - `>=`, `>`, `<=`, `<` with a full or partial version; comparators separated by spaces must all hold
///   (`>=1.0 <2`); alternatives are separated by `||`.
/// A pre-release version satisfies a range only when a comparator names a pre-release of the same `MAJOR.MINOR.PATCH`
/// (`^1.2.0-rc.1` takes `1.2.0-rc.2`, `^1.2` does not), as npm does: pre-releases are opted into, never picked up.
public struct VersionRange: Sendable, CustomStringConvertible {
    /// The range as written.
    public let text: String
    private let alternatives: [[(op: Op, version: SemanticVersion)]]
    private enum Op: String { case eq = "=", lt = "<", le = "<=", gt = ">", ge = ">=" }

    /// Parses a range; nil when it is not one (the caller says what is accepted).
    public init?(_ text: String) {
        self.text = text
        var alts: [[(op: Op, version: SemanticVersion)]] = []
        for alt in text.components(separatedBy: "||") {
            var set: [(op: Op, version: SemanticVersion)] = []
            let words = alt.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !words.isEmpty else { return nil }
            for word in words {
                guard let parsed = Self.comparators(String(word)) else { return nil }
                set += parsed
            }
            alts.append(set)
        }
        guard !alts.isEmpty else { return nil }
        alternatives = alts
    }

    /// Whether `v` is in the range.
    public func contains(_ v: SemanticVersion) -> Bool {
        alternatives.contains { set in
            let holds = set.allSatisfy { c in
                switch c.op {
                case .eq: return v == c.version
                case .lt: return v < c.version
                case .le: return v <= c.version
                case .gt: return v > c.version
                case .ge: return v >= c.version
                }
            }
            guard holds else { return false }
            if v.prerelease.isEmpty { return true }
            return set.contains { !$0.version.prerelease.isEmpty
                && ($0.version.major, $0.version.minor, $0.version.patch) == (v.major, v.minor, v.patch) }
        }
    }

    /// The range spelled out with plain comparators (`^1.2` → `>=1.2.0 <2.0.0`), for messages.
    public var expanded: String {
        alternatives.map { set in
            set.isEmpty ? "any release" : set.map { "\($0.op.rawValue)\($0.version)" }.joined(separator: " ")
        }.joined(separator: " || ")
    }

    public var description: String { text }

    /// A partial version: up to three numbers, `x`/`X`/`*` for "any", and a pre-release only on a full version.
    private static func partial(_ s: String) -> (numbers: [Int], pre: [String])? {
        if s == "*" || s == "x" || s == "X" { return ([], []) }
        if let full = SemanticVersion(s) { return ([full.major, full.minor, full.patch], full.prerelease) }
        var numbers: [Int] = []
        for part in s.split(separator: ".", omittingEmptySubsequences: false) {
            if part == "x" || part == "X" || part == "*" { break }
            guard SemanticVersion.isNumber(part), let n = Int(part), numbers.count < 3 else { return nil }
            numbers.append(n)
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 3, parts.dropFirst(numbers.count).allSatisfy({ $0 == "x" || $0 == "X" || $0 == "*" }) else { return nil }
        return (numbers, [])
    }

    private static func comparators(_ word: String) -> [(op: Op, version: SemanticVersion)]? {
        func v(_ n: [Int], _ pre: [String] = []) -> SemanticVersion {
            SemanticVersion(n.count > 0 ? n[0] : 0, n.count > 1 ? n[1] : 0, n.count > 2 ? n[2] : 0, prerelease: pre)
        }
        func bump(_ n: [Int], at i: Int) -> SemanticVersion {
            var m = Array(n.prefix(i + 1)); m[i] += 1
            return v(m)
        }
        for op in [Op.ge, .le, .gt, .lt, .eq] where word.hasPrefix(op.rawValue) {
            guard let (n, pre) = partial(String(word.dropFirst(op.rawValue.count))) else { return nil }
            switch (op, n.count) {
            case (_, 3): return [(op, v(n, pre))]
            case (.eq, 0), (.ge, 0), (.le, 0): return []
            case (.gt, 0), (.lt, 0): return [(.lt, SemanticVersion(0, 0, 0, prerelease: ["0"]))]  // nothing
            case (.eq, _): return [(.ge, v(n)), (.lt, bump(n, at: n.count - 1))]
            case (.ge, _): return [(.ge, v(n))]
            case (.lt, _): return [(.lt, v(n))]
            case (.gt, _): return [(.ge, bump(n, at: n.count - 1))]
            case (.le, _): return [(.lt, bump(n, at: n.count - 1))]
            }
        }
        if word.hasPrefix("^") {
            guard let (n, pre) = partial(String(word.dropFirst())) else { return nil }
            if n.isEmpty { return [] }
            let first = n.firstIndex { $0 != 0 } ?? (n.count - 1)
            let upper = n.count < 3 && first >= n.count - 1 && n.allSatisfy({ $0 == 0 }) ? bump(n, at: n.count - 1) : bump(n, at: min(first, n.count - 1))
            return [(.ge, v(n, pre)), (.lt, upper)]
        }
        if word.hasPrefix("~") {
            guard let (n, pre) = partial(String(word.dropFirst())) else { return nil }
            if n.isEmpty { return [] }
            return [(.ge, v(n, pre)), (.lt, bump(n, at: n.count == 1 ? 0 : 1))]
        }
        guard let (n, pre) = partial(word) else { return nil }
        if n.isEmpty { return [] }
        if n.count == 3 { return [(.eq, v(n, pre))] }
        return [(.ge, v(n)), (.lt, bump(n, at: n.count - 1))]
    }
}
