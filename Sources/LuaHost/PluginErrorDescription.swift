import Foundation

extension PluginError: LocalizedError, CustomStringConvertible {
    /// The message for people, e.g. `plugin 'rfm' (plugins/criteria/rfm.lua:42): attempt to compare nil
    /// with number for customer C123 (row 17)`.
    public var errorDescription: String? { description }

    /// The message for people: names the plugin, its file and line, the row or customer, and what to do.
    /// Safe to print: the plugin's own text is cut after `TerminalText.messageLimit` bytes, control characters
    /// are escaped, and every line after the first starts with `[plugin] ` (see `TerminalText`).
    public var description: String {
        let lines = TerminalText.escaped(unfiltered, limit: Int.max).split(separator: "\n", omittingEmptySubsequences: false)
        let prefix = "\n[\(TerminalText.cell(plugin))] "
        return lines.first.map(String.init)! + lines.dropFirst().map { prefix + $0 }.joined()
    }

    /// The message before it is made safe to print; the plugin's own text already cut to its limit.
    private var unfiltered: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let who = "plugin '\(plugin)' (\(location))"
        switch reason {
        case .unreadable(let problem):
            return "plugin file \(file): cannot be read (\(problem))"
        case .syntax(let problem):
            return "plugin file \(location): \(problem)"
        case .badManifest(let field, let problem):
            return field.isEmpty ? "plugin file \(file): \(problem)" : "plugin file \(file): field '\(field)' \(problem)"
        case .runtime(let message):
            return "\(who): \(TerminalText.escaped(message))\(rowContext)"
        case .instructionBudget(let limit):
            return "\(who) exceeded its instruction budget of \(limit) instructions in one call\(rowContext); "
                + "raise limits.instructions in workspace.yaml if this is expected"
        case .memoryCap(let bytes):
            return "\(who) exceeded its memory cap of \(Self.formatBytes(bytes))\(rowContext); "
                + "raise limits.memory_mb in workspace.yaml if this is expected"
        case .timeLimit(let seconds):
            return "\(who) ran longer than its time limit of \(Self.formatSeconds(seconds)) in one call\(rowContext); "
                + "raise limits.seconds in workspace.yaml if this is expected"
        case .sourceDataCap(let bytes):
            return "\(who) emitted more than its limit of \(Self.formatBytes(bytes)) of data in one read\(rowContext) "
                + "(each value counts \(LuaLimits.bytesPerEmittedValue) bytes plus the bytes of its text); "
                + "if read never stops emitting, fix its loop; if the data really is this large, raise "
                + "limits.source_mb in workspace.yaml"
        case .badReturn(let field, let expected, let got):
            let article = got.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "plugin '\(plugin)' (\(file)) returned \(article) \(got) from \(field)\(rowContext); \(field) must return \(expected)"
        case .badParam(let name, let problem):
            return "plugin '\(plugin)' (\(file)): parameter '\(name)' \(problem)"
        case .tooManyLabels(let limit, let label):
            return "plugin '\(plugin)' (\(file)) gave more than \(limit) distinct labels; the next one, "
                + "'\(TerminalText.cell(label))', was given\(rowContext). A criterion sorts customers into a few segments: "
                + "make assign return a category, not a per-customer value (an id, an amount); if this many segments "
                + "is intended, raise limits.segments in workspace.yaml"
        case .forbidden(let message):
            return "\(who): \(TerminalText.escaped(message))\(rowContext)"
        }
    }

    /// ` for customer C123 (data/customers.csv, line 18)`, ` for customer C123 (row 17)`, ` for the customer at
    /// data/customers.csv, line 18` (a personal id is never shown), ` for row 17`, or nothing. Rows are counted from 1 for people
    /// (`PluginError.row` itself is 0-based).
    private var rowContext: String {
        if let record { return " while producing record \(record + 1) (after \(record) emitted)" }
        let at = place.map(TerminalText.cell) ?? row.map { "row \($0 + 1)" }
        if let customerID { return " for customer \(TerminalText.cell(customerID))" + (at.map { " (\($0))" } ?? "") }
        if let place { return " for the customer at \(TerminalText.cell(place))" }
        if let row { return " for row \(row + 1)" }
        return ""
    }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? "\(Int64(seconds)) s" : "\(seconds) s"
    }
}
