import Foundation
import SegworkData

/// What the `clean:` steps of a run did: `cleaning.json` in the run's exports, and the "Cleaning" section of
/// `profiles.md`. Datasets in definition order, steps in order.
public struct CleaningReport: Sendable, Codable, Equatable {
    /// Format version of `cleaning.json`.
    public var formatVersion = 1
    /// Datasets that have clean steps, in definition order.
    public var datasets: [DatasetCleaning]
    /// Rows rejected by `validate` steps, in dataset, step and row order.
    public var rejects: [CleaningReject]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", datasets
    }

    /// Creates a report.
    public init(datasets: [DatasetCleaning], rejects: [CleaningReject]) {
        self.datasets = datasets; self.rejects = rejects
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        datasets = try c.decode([DatasetCleaning].self, forKey: .datasets)
        rejects = []
    }

    /// `cleaning.json`: pretty-printed, keys sorted, ending in a newline.
    public var json: Data {
        JSONOutput.file(self, what: "cleaning report")
    }

    /// `rejects.csv`: header `dataset,line,column,rule,value`, one row per rejected row (RFC 4180 quoting).
    public var rejectsCSV: Data {
        var csv = CSVText()
        csv.row(["dataset", "line", "column", "rule", "value"])
        for r in rejects { csv.row([CSVText.text(r.dataset), String(r.line), CSVText.text(r.column), r.rule, CSVText.text(r.value)]) }
        return csv.data
    }
}

/// One dataset's cleaning.
public struct DatasetCleaning: Sendable, Codable, Equatable {
    /// The dataset's name.
    public var dataset: String
    /// Rows read.
    public var rowsIn: Int
    /// Rows left after every step.
    public var rowsOut: Int
    /// The steps in order.
    public var steps: [CleanStepReport]

    enum CodingKeys: String, CodingKey {
        case dataset, rowsIn = "rows_in", rowsOut = "rows_out", steps
    }
}

/// What one step did. Every count is present (0 when the step cannot do that).
public struct CleanStepReport: Sendable, Codable, Equatable {
    /// 1-based position in the dataset's `clean:` list.
    public var step: Int
    /// `dedupe`, `standardise`, `missing`, `validate` or `plugin`.
    public var name: String
    /// What it did, in words (e.g. `dedupe by customer_id keeping first`).
    public var description: String
    /// Rows the step removed (duplicates, dropped rows with missing values, rejects).
    public var rowsRemoved: Int
    /// Present values the step changed (`standardise`; values that no date format matched become missing and count
    /// here; `plugin`: values of kept rows that differ from the input, a value made missing or filled included).
    public var valuesChanged: Int
    /// Missing values the step filled (`missing` with fill or fill_median).
    public var valuesFilled: Int
    /// Rows sent to `rejects.csv`.
    public var rejects: Int
    /// `plugin` steps only: values each column's cleaner changed, by dataset column (`values_changed` is their sum).
    public var valuesChangedByColumn: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case step, name, description, rowsRemoved = "rows_removed", valuesChanged = "values_changed",
             valuesFilled = "values_filled", rejects, valuesChangedByColumn = "values_changed_by_column"
    }
}

/// A row a `validate` step rejected.
public struct CleaningReject: Sendable, Equatable {
    /// The dataset.
    public var dataset: String
    /// The data record's 1-based number plus one (for the header line): the file line of the record in a CSV
    /// whose values hold no line breaks.
    public var line: Int
    /// The column checked.
    public var column: String
    /// The rule broken: `required`, `range`, `allowed` or `regex`.
    public var rule: String
    /// The value as text (empty when missing).
    public var value: String
}
