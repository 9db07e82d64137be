import Foundation
import LuaHost
import SegworkData

extension Exporter {
    /// `profiles.md`: a readable report — title with the definition and run id, the inputs and plugins,
    /// a summary table (customers, share, revenue, mean of each numeric column per group), then a
    /// section per group with its numeric statistics and top values with lift. Shares are percentages
    /// with one decimal, money has two decimals, other numbers 6 significant digits, date statistics
    /// are dates. Text is escaped (`MarkdownText.escape`): no cell breaks, and no Markdown link or HTML is live.
    public static func markdown(_ r: ProfileReport) -> Data { markdown(r, cleaning: nil) }

    /// `profiles.md` as above; with a cleaning report, a "Cleaning" section follows the inputs (only then, so
    /// reports of definitions without `clean:` are unchanged).
    public static func markdown(_ r: ProfileReport, cleaning: CleaningReport?) -> Data {
        var md = MarkdownText()
        let run = r.run
        md.line("# Segment profile: \(md.escape(run.definition))")
        md.line()
        md.line("- run: \(md.escape(run.runID))")
        md.line("- as of: \(md.escape(run.asOf))")
        md.line("- customers: \(run.customers)")
        md.line("- criteria combined by: \(md.escape(run.combine))")
        md.line("- Segwork \(md.escape(run.segworkVersion)), export format \(r.formatVersion)")
        if let p = run.privacy {
            var parts = ["personal (pii) columns, never profiled: " + (p.piiColumns.isEmpty ? "none" : p.piiColumns.joined(separator: ", "))]
            if p.hashedIDs { parts.append("customer ids in membership.csv are salted hashes") }
            if let k = p.minGroupSize { parts.append("statistics over fewer than \(k) customers are suppressed") }
            md.line("- privacy: " + md.escape(parts.joined(separator: "; ")))
        }
        md.line()

        md.line("## Inputs")
        md.line()
        md.table(["dataset", "file", "rows", "sha256"], align: [.left, .left, .right, .left],
                 rows: run.inputs.map { [$0.name, $0.file, String($0.rows), $0.sha256] })
        cleaning?.markdown(into: &md)
        md.line("## Plugins")
        md.line()
        md.table(["plugin", "kind", "version", "file", "sha256", "params"],
                 align: [.left, .left, .left, .left, .left, .left],
                 rows: run.plugins.map {
                     [$0.name, $0.kind, $0.version, $0.file, $0.sha256,
                      $0.params.isEmpty ? "-" : MarkdownText.render(.object($0.params))]
                 })

        let groups = [r.population] + r.segments
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        md.line("## Summary")
        md.line()
        var header = ["segment", "customers", "share"]
        if r.monetary != nil { header += ["revenue", "revenue share"] }
        header += r.numericColumns.map { "mean \($0.name)" }
        md.table(header, align: [.left] + Array(repeating: .right, count: header.count - 1), rows: groups.map { p in
            var row = [p.label, String(p.count), MarkdownText.percent(p.share)]
            if r.monetary != nil { row += [MarkdownText.money(p.revenue), MarkdownText.percent(p.revenueShare)] }
            row += r.numericColumns.map { c in
                MarkdownText.statistic(p.numeric(c.name)?.mean, date: dates.contains(c.name))
            }
            return row
        })

        r.scorecard?.markdown(into: &md, monetary: r.monetary)
        md.line("## Segments")
        md.line()
        for p in groups {
            md.line("### \(md.escape(p.label))")
            md.line()
            var facts = "\(p.count) customers (\(MarkdownText.percent(p.share)))"
            if let m = r.monetary {
                facts += "; \(md.escape(m)): \(MarkdownText.money(p.revenue)) (\(MarkdownText.percent(p.revenueShare)) of revenue)"
            }
            if p.suppressed == true { facts += " " + MarkdownText.suppressed(run) }
            md.line(facts)
            md.line()
            if !p.numeric.isEmpty {
                md.table(["column", "mean", "median", "p25", "p75", "min", "max", "missing", "index"],
                         align: [.left] + Array(repeating: .right, count: 8),
                         rows: p.numeric.map { s in
                             let d = dates.contains(s.column)
                             return [s.column] + [s.mean, s.median, s.p25, s.p75, s.min, s.max].map {
                                 MarkdownText.statistic($0, date: d)
                             } + [String(s.missing), MarkdownText.index(s.index)]
                         })
                let hidden = p.numeric.filter { $0.suppressed == true }.map(\.column)
                if !hidden.isEmpty, p.suppressed != true {
                    md.line("Statistics of \(md.escape(hidden.joined(separator: ", "))) \(MarkdownText.suppressed(run))")
                    md.line()
                }
            }
            for s in p.categorical {
                md.line("Top values of **\(md.escape(s.column))** (\(s.distinct) distinct; missing: \(s.missing), "
                        + "\(MarkdownText.percent(s.missingShare)))")
                md.line()
                md.table(["value", "customers", "share", "lift"], align: [.left, .right, .right, .right],
                         rows: s.top.map { [$0.value, String($0.count), MarkdownText.percent($0.share),
                                            MarkdownText.fixed($0.lift, decimals: 2)] })
                if s.suppressed == true {
                    md.line("Top values \(MarkdownText.suppressed(run))")
                    md.line()
                } else if let n = s.suppressedValues {
                    md.line("\(n) more top \(n == 1 ? "value" : "values") \(MarkdownText.suppressed(run))")
                    md.line()
                }
            }
        }
        if let clusters = r.clusters { ClusterExport.markdown(clusters, into: &md) }
        return md.data
    }
}

/// A Markdown document under construction, with the number formats of `profiles.md`.
struct MarkdownText {
    /// Column alignment in a table.
    enum Align { case left, right }

    private var text = ""

    /// Appends a line.
    mutating func line(_ s: String = "") { text += s + "\n" }

    /// Appends a table (escaping every cell) followed by a blank line; `_none_` when there are no rows.
    mutating func table(_ header: [String], align: [Align], rows: [[String]]) {
        guard !rows.isEmpty else { line("_none_"); line(); return }
        line("| " + header.map(escape).joined(separator: " | ") + " |")
        line("|" + header.indices.map { i in
            (i < align.count && align[i] == .right) ? " ---: " : " --- "
        }.joined(separator: "|") + "|")
        for row in rows { line("| " + row.map(escape).joined(separator: " | ") + " |") }
        line()
    }

    /// Text safe inside a table cell or heading, with no live Markdown or HTML: `\`, `|`, `` ` ``, `[` and `]`
    /// backslash-escaped; `&`, `<` and `>` as HTML entities (so no tag, `<script>` or `<javascript:…>` autolink,
    /// and no `[text](javascript:…)` link can form); line breaks and tabs as spaces; any other control character
    /// (`TerminalText.isControl`) as the visible text `\u{1B}`, never raw.
    func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\", "|", "`", "[", "]": out += "\\" + String(ch)
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}": out += " "
            default:
                if TerminalText.isControl(ch.value) {
                    out += "\\u{" + String(ch.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// The document's bytes (UTF-8).
    var data: Data { Data(text.utf8) }

    /// The marker of suppressed statistics: `(suppressed: fewer than 5 customers)`.
    static func suppressed(_ run: RunInfo) -> String {
        "(suppressed: fewer than \(run.privacy?.minGroupSize.map(String.init) ?? "k") customers)"
    }

    /// `12.3%`, or `-` when undefined.
    static func percent(_ share: Double?) -> String {
        guard let share else { return "-" }
        return fixed(share * 100, decimals: 1) + "%"
    }

    /// Money with two decimals, or `-`.
    static func money(_ d: Double?) -> String { fixed(d, decimals: 2) }

    /// An index with one decimal at most (`150`, `133.3`), or `-`.
    static func index(_ d: Double?) -> String {
        guard let d else { return "-" }
        return formatDouble(ProfileMath.round((d * 10).rounded() / 10) ?? 0)
    }

    /// A statistic with 6 significant digits, or as a date (nearest day) for date columns; `-` when undefined.
    static func statistic(_ d: Double?, date: Bool) -> String {
        guard let d else { return "-" }
        if date, let days = Int32(exactly: d.rounded()) { return CivilDate(days: days).description }
        return formatDouble(ProfileMath.round(d, significant: 6) ?? d)
    }

    /// `d` with a fixed number of decimals (never `-0.00`), or `-` when undefined.
    static func fixed(_ d: Double?, decimals: Int) -> String {
        guard let d, d.isFinite else { return "-" }
        let s = String(format: "%.\(decimals)f", d)
        if s.hasPrefix("-"), !s.contains(where: { ("1"..."9").contains($0) }) { return String(s.dropFirst()) }
        return s
    }

    /// A plugin value as compact JSON-like text with keys in byte order.
    static func render(_ v: PluginValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatDouble(d)
        case .string(let s): return quoted(s)
        case .array(let a): return "[" + a.map(render).joined(separator: ", ") + "]"
        case .object(let o):
            let entries = o.sorted { ByteOrder.less($0.key, $1.key) }
            return "{" + entries.map { "\(quoted($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension CleaningReport {
    /// Appends the "Cleaning" section of `profiles.md`.
    func markdown(into md: inout MarkdownText) {
        md.line("## Cleaning")
        md.line()
        md.table(["dataset", "rows in", "rows out", "rejects"], align: [.left, .right, .right, .right],
                 rows: datasets.map { d in
                     [d.dataset, String(d.rowsIn), String(d.rowsOut), String(d.steps.reduce(0) { $0 + $1.rejects })]
                 })
        md.table(["dataset", "step", "what it did", "rows removed", "values changed", "values filled", "rejects"],
                 align: [.left, .right, .left, .right, .right, .right, .right],
                 rows: datasets.flatMap { d in
                     d.steps.map { s in
                         [d.dataset, String(s.step), s.description, String(s.rowsRemoved), String(s.valuesChanged),
                          String(s.valuesFilled), String(s.rejects)]
                     }
                 })
    }
}
