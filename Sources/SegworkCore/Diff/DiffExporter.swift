import Foundation
import SegworkData

/// Writes a `VersionDiff` as JSON, CSV, Markdown or a terminal summary (docs/DIFF.md). Every function is
/// pure: the same diff gives the same bytes.
public enum DiffExporter {
    /// Movers listed in the Markdown report at most; the JSON and CSV exports list all of them.
    public static let markdownMoverLimit = 1000

    /// The diff files for `formats`, named `diff.<format>`.
    public static func files(_ d: VersionDiff, formats: [ExportFormat]) -> [String: Data] {
        var files: [String: Data] = [:]
        for f in formats {
            switch f {
            case .json: files[f.fileName("diff")] = json(d)
            case .csv: files[f.fileName("diff")] = csv(d)
            case .md: files[f.fileName("diff")] = markdown(d)
            case .html: files[f.fileName("diff")] = DiffHTML.page(d)
            }
        }
        return files
    }

    /// The diff as pretty-printed JSON with sorted keys, every key present (undefined values and movers not
    /// asked for as `null`), numbers in shortest round-trip form, slashes unescaped, a trailing newline.
    public static func json(_ d: VersionDiff) -> Data {
        JSONOutput.file(d, what: "version diff")
    }

    /// The diff in tidy (long) form, header `section,subject,field,from,to,value`, one fact per row:
    /// `diff`, `version`, `summary`, `segment`, `matrix` (every cell, zeros included; only non-empty cells beyond
    /// `MigrationMatrix.fullLimit` labels), `input` and `mover`
    /// rows, in that order. `from`/`to` hold the two sides (version values, matrix labels, input values
    /// before and after, a mover's labels); `value` holds single values. RFC 4180 quoting, LF line ends;
    /// undefined values are empty.
    public static func csv(_ d: VersionDiff) -> Data {
        var out = CSVText()
        out.row(["section", "subject", "field", "from", "to", "value"])
        out.row(["diff", "", "format_version", "", "", String(d.formatVersion)])
        out.row(["diff", "", "definition", "", "", CSVText.text(d.definition)])
        for (field, a, b) in [("id", d.from.id, d.to.id), ("run_id", d.from.runID, d.to.runID),
                              ("as_of", d.from.asOf, d.to.asOf), ("created_at", d.from.createdAt, d.to.createdAt),
                              ("customers", String(d.from.customers), String(d.to.customers))] {
            out.row(["version", "", field, a, b, ""])
        }
        for (field, value) in [("entered", String(d.entered)), ("left", String(d.left)),
                               ("moved", String(d.moved)), ("stayed", String(d.stayed)),
                               ("drift", CSVText.number(d.drift))] {
            out.row(["summary", "", field, "", "", value])
        }
        for s in d.segments {
            for (field, value) in [("before", String(s.before)), ("after", String(s.after)),
                                   ("delta", String(s.delta)), ("share_before", CSVText.number(s.shareBefore)),
                                   ("share_after", CSVText.number(s.shareAfter)),
                                   ("share_delta", CSVText.number(s.shareDelta)), ("stayed", String(s.stayed)),
                                   ("moved_in", String(s.movedIn)), ("moved_out", String(s.movedOut)),
                                   ("entered", String(s.entered)), ("left", String(s.left))] {
                out.row(["segment", CSVText.text(s.label), field, "", "", value])
            }
        }
        let labels = d.labels.map(CSVText.text)
        if d.matrix.isSmall {
            for (i, row) in d.matrix.rows().enumerated() {
                for (j, count) in row.enumerated() {
                    out.row(["matrix", "", "count", labels[i], labels[j], String(count)])
                }
            }
        } else {
            // Beyond `MigrationMatrix.fullLimit` labels, only the cells that hold customers (docs/DIFF.md).
            for c in d.matrix.cells { out.row(["matrix", "", "count", labels[c.from], labels[c.to], String(c.count)]) }
        }
        for c in d.inputChanges {
            let field = "\(c.kind.rawValue).\(c.field)" + (c.param.map { ".\($0)" } ?? "")
            out.row(["input", CSVText.text(c.name), CSVText.text(field), CSVText.textOrNumber(c.before ?? ""), CSVText.textOrNumber(c.after ?? ""), ""])
        }
        for m in d.movers ?? [] {
            out.row(["mover", CSVText.text(m.customerID), "customer", CSVText.text(m.from), CSVText.text(m.to), ""])
        }
        return out.data
    }

    /// A readable GitHub-flavoured Markdown report: header, input changes, segment sizes and shares, the
    /// migration matrix, and the movers when present (at most `markdownMoverLimit`, with a note).
    public static func markdown(_ d: VersionDiff) -> Data { DiffMarkdown.render(d) }

    /// A compact terminal summary laid out for a terminal `width` columns wide (at least `minimumWidth`):
    /// versions, totals, input changes, the size table, the matrix and the top flows (`topFlows`). Every line
    /// fits in `width` (display columns, `TerminalColumns.width`): long labels end in "…", and matrix columns that
    /// do not fit are left out, the last shown one being "…" and a note saying how many are not shown (the files
    /// hold the full matrix). The same diff and width give the same text.
    public static func text(_ d: VersionDiff, width: Int = TerminalColumns.defaultWidth) -> String {
        DiffText.render(d, width: width)
    }
}

/// Wording shared by the Markdown and text reports.
enum DiffWording {
    /// `+3`, `-2`, `0`.
    static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : String(n) }

    /// A share change in percentage points with one decimal (`+2.5 pp`), `-` when undefined.
    static func points(_ d: Double?) -> String {
        guard let d else { return "-" }
        let s = MarkdownText.fixed(d * 100, decimals: 1)
        return (s.hasPrefix("-") || s == "0.0" ? s : "+" + s) + " pp"
    }

    /// What an input change is about, e.g. `dataset orders: sha256` or `plugin tiers: param min`.
    static func subject(_ c: InputChange) -> String {
        let what: String
        switch c.field {
        case "param": what = "parameter \(c.param ?? "")"
        case "as_of": what = "reference date"
        case "segwork_version": what = "Segwork version"
        default: what = c.field
        }
        switch c.kind {
        case .run: return what
        case .definition: return "definition \(c.name): \(what)"
        case .dataset, .plugin: return "\(c.kind.rawValue) \(c.name): \(what)"
        }
    }

    /// A value of an input change, `-` when absent.
    static func value(_ s: String?) -> String { s ?? "-" }

    /// A version line: `v1 (as of 2024-03-01, run r1, stored 2026-…): 10 customers`.
    static func version(_ v: VersionRef) -> String {
        "\(v.id) (as of \(v.asOf), run \(v.runID), stored \(v.createdAt)): \(v.customers) customers"
    }

    /// The drift sentence.
    static func drift(_ d: VersionDiff) -> String {
        guard let drift = d.drift else { return "drift: - (no customer is in both versions)" }
        return "drift: \(MarkdownText.percent(drift)) of the \(d.moved + d.stayed) customers in both versions "
            + "changed segment"
    }
}
