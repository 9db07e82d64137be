/// One thing `seg plugins lint` (or the rule-set checks) found.
public struct LintFinding: Sendable, Equatable, Codable {
    /// How serious: an error fails the lint (exit 1); a warning only with `--strict`.
    public enum Severity: String, Sendable, Codable { case error, warning }
    /// Its severity.
    public var severity: Severity
    /// The file as the user names it (`plugins/tier.lua`, `bundled:criteria/rfm.lua`, `segmentations/x.yaml`).
    public var file: String
    /// The line, when known.
    public var line: Int?
    /// A short code: `contract`, `global`, `uses`, `unused-param`, `label-case`, `luacheck:W211`, `rule-set`, ….
    public var code: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates a finding.
    public init(_ severity: Severity, file: String, line: Int?, code: String, _ message: String) {
        self.severity = severity; self.file = file; self.line = line; self.code = code; self.message = message
    }

    /// `file:line: severity: message [code]`, as compilers print it.
    public var text: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(severity.rawValue): \(message) [\(code)]"
    }
}
