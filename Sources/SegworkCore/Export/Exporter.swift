import Foundation
import SegworkData

/// Writes profile reports and memberships in the formats documented in `docs/EXPORTS.md`
/// (format version 2). Every function is pure: the same input gives the same bytes.
public enum Exporter {
    /// The profile files for `formats`, named `profiles.<format>`. `storedJSON`, when given,
    /// is used as `profiles.json` (a stored version's own bytes); `cleaning` adds the cleaning section to Markdown.
    public static func profileFiles(_ r: ProfileReport, formats: [ExportFormat], storedJSON: Data? = nil,
                                    cleaning: CleaningReport? = nil) -> [String: Data] {
        var files: [String: Data] = [:]
        for f in formats {
            switch f {
            case .json: files[f.fileName("profiles")] = storedJSON ?? json(r)
            case .csv: files[f.fileName("profiles")] = csv(r)
            case .md: files[f.fileName("profiles")] = markdown(r, cleaning: cleaning)
            case .html: files["report.html"] = HTMLReport.page(r, data: nil)
            }
        }
        return files
    }

    /// Every file of a run's export folder except `membership.csv`, made from the profiles and the files the store
    /// keeps with a version (`VersionStore.storedFileNames`): `profiles.<format>` for json, csv and md;
    /// `report.html` and `report-data.json` for html; `cleaning.json`, `rejects.csv` and `notes.txt` whenever they are
    /// given.
    /// A run and `seg export` both call this with the same inputs, which is why a rebuilt folder has the run's bytes.
    /// `storedJSON`, when given, is used as `profiles.json` (a stored version's own bytes).
    public static func files(_ r: ProfileReport, formats: [ExportFormat], stored: [String: Data],
                             storedJSON: Data? = nil) throws -> [String: Data] {
        let cleaning = try stored["cleaning.json"].map { bytes in
            do { return try JSONDecoder().decode(CleaningReport.self, from: bytes) } catch {
                throw StoreError.corrupted(path: ".seg/store.sqlite", detail: "a stored cleaning.json cannot be read (\(error))")
            }
        }
        var files = profileFiles(r, formats: formats.filter { $0 != .html }, storedJSON: storedJSON, cleaning: cleaning)
        for name in ["cleaning.json", "notes.txt", "rejects.csv"] { if let bytes = stored[name] { files[name] = bytes } }
        if formats.contains(.html) {
            let bytes = stored["report-data.json"]
            let data = try bytes.map { bytes in
                let data: ReportData
                do { data = try JSONDecoder().decode(ReportData.self, from: bytes) } catch {
                    throw StoreError.corrupted(path: ".seg/store.sqlite", detail: "a stored report-data.json cannot be read (\(error))")
                }
                if let problem = data.inconsistency {
                    throw StoreError.corrupted(path: ".seg/store.sqlite", detail: "a stored report-data.json was edited: \(problem)")
                }
                return data
            }
            files["report.html"] = HTMLReport.page(r, data: data)
            if let bytes { files["report-data.json"] = bytes }
        }
        return files
    }

    /// `profiles.json`: the report as pretty-printed JSON with sorted keys, every key present
    /// (undefined statistics as `null`), numbers in shortest round-trip form, a trailing newline.
    public static func json(_ r: ProfileReport) -> Data {
        JSONOutput.file(r, what: "profile report")
    }

    /// `profiles.csv`: the report in tidy form, header `segment,column,statistic,value,text`, one row per
    /// group × statistic: the population `(all)` first, then the segments in report order, then
    /// `(unassigned)`. Each column holds one type: `value` is always a number or empty, `text` always text or empty
    /// (a top value, a flag, a warning's kind), never both in one row. RFC 4180 quoting, LF line ends. Undefined
    /// values are empty. Labels, column names and values of text columns are guarded against spreadsheet formulas
    /// (`CSVText.text`).
    public static func csv(_ r: ProfileReport) -> Data {
        var out = CSVText()
        out.row(["segment", "column", "statistic", "value", "text"])
        for (k, p) in ([r.population] + r.segments).enumerated() {
            func put(_ column: String, _ statistic: String, _ value: String, text: String = "") {
                out.row([CSVText.text(p.label), CSVText.text(column), statistic, value, text])
            }
            put("", "count", String(p.count))
            put("", "share", CSVText.number(p.share))
            if p.suppressed == true { put("", "suppressed", "", text: "true") }
            if let m = r.monetary {
                put(m, "revenue", CSVText.number(p.revenue))
                put(m, "revenue_share", CSVText.number(p.revenueShare))
            }
            for row in r.scorecard?.csvRows(for: p.label, isPopulation: k == 0) ?? [] {
                put("(scorecard)", row.statistic, row.value, text: row.text)
            }
            for s in p.numeric {
                put(s.column, "count", String(s.count))
                put(s.column, "missing", String(s.missing))
                if s.suppressed == true { put(s.column, "suppressed", "", text: "true") }
                for (name, value) in [("mean", s.mean), ("median", s.median), ("p25", s.p25), ("p75", s.p75),
                                      ("min", s.min), ("max", s.max), ("index", s.index), ("sd", s.sd)] {
                    put(s.column, name, CSVText.number(value))
                }
            }
            for s in p.categorical {
                put(s.column, "missing", String(s.missing))
                put(s.column, "missing_share", CSVText.number(s.missingShare))
                put(s.column, "distinct", String(s.distinct))
                if s.suppressed == true { put(s.column, "suppressed", "", text: "true") }
                if let n = s.suppressedValues { put(s.column, "top_suppressed", String(n)) }
                // A value of a text column is text; values of other columns are written by the host (numbers, dates).
                let isText = r.categoricalColumns.first { $0.name == s.column }?.type == .string
                for (k, t) in s.top.enumerated() {
                    let rank = "top\(k + 1)"
                    put(s.column, rank, "", text: isText ? CSVText.text(t.value) : t.value)
                    put(s.column, rank + "_count", String(t.count))
                    put(s.column, rank + "_share", CSVText.number(t.share))
                    put(s.column, rank + "_lift", CSVText.number(t.lift))
                }
            }
        }
        if let clusters = r.clusters { ClusterExport.csv(clusters, &out) }
        return out.data
    }

    /// `membership.csv`: header `<id column name>,segment[,decided_by][,<criterion names…>],<score column
    /// names…>`, then one row per table row in table order: the id, the segment label (empty when unassigned),
    /// the `criteria` columns when given (`CriterionColumns`: which criterion decided, each criterion's own
    /// label) and the scores (empty when missing). RFC 4180 quoting, LF line ends. Text ids and labels are guarded
    /// against spreadsheet formulas (`CSVText.text`); numbers are not.
    ///
    /// `ids`, `assignment`, every criterion and every score column must have the same number of rows (they all
    /// come from one run's table); a mismatch is a programming error and stops the process.
    package static func membership(ids: Column, assignment: SegmentAssignment, criteria: CriterionColumns? = nil,
                                   scores: [Column]) -> Data {
        let n = assignment.codes.count
        precondition(ids.count == n, "membership: id column '\(ids.name)' has \(ids.count) rows, assignment \(n)")
        for s in scores {
            precondition(s.count == n, "membership: score column '\(s.name)' has \(s.count) rows, assignment \(n)")
        }
        for (name, part) in zip(criteria?.names ?? [], criteria?.parts ?? []) {
            precondition(part.codes.count == n, "membership: criterion '\(name)' has \(part.codes.count) rows, assignment \(n)")
        }
        let middle = criteria?.header ?? []
        var out = CSVText()
        out.row([CSVText.text(ids.name), "segment"] + middle + scores.map(\.name))
        let first = 2 + middle.count
        var fields = [String](repeating: "", count: first + scores.count)
        let textIDs = ids.type == .string
        let labels = assignment.labels.map(CSVText.text)
        for i in 0..<n {
            let id = ids.string(at: i) ?? ""
            fields[0] = textIDs ? CSVText.text(id) : id
            let code = Int(assignment.codes[i])
            fields[1] = code >= 0 && code < labels.count ? labels[code] : ""
            criteria?.fill(&fields, from: 2, row: i)
            for (j, s) in scores.enumerated() {
                let v = s.string(at: i) ?? ""
                fields[first + j] = s.type == .string ? CSVText.text(v) : v
            }
            out.row(fields)
        }
        return out.data
    }
}
