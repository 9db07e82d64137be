import Foundation
import LuaHost
import SegworkData

/// One step of a dataset's `clean:` list (see `docs/CLEANING.md`). Steps run in order, right after the dataset
/// is read and before joins and features.
public struct CleanStep: Sendable, Equatable {
    /// What the step does.
    public enum Action: Sendable, Equatable {
        /// Drop rows whose key repeats an earlier (or later) row's key.
        case dedupe(key: [String], keep: DedupeKeep)
        /// Normalise the text of one column, or parse it into dates.
        case standardise(StandardiseSpec)
        /// Handle missing values of one column.
        case missing(column: String, action: MissingAction)
        /// Check values of one column; failing rows go to `rejects.csv` or stop the run.
        case validate(ValidateSpec)
        /// Run a Lua cleaner plugin: `clean(row, p)` returns each row cleaned, or nil to drop it.
        case plugin(CleanPluginSpec)
    }

    /// What the step does.
    public var action: Action
    /// Line in the definition, for messages.
    public var line: Int?

    /// The step's name as written in the definition (`dedupe`, `standardise`, `missing`, `validate`, `plugin`).
    public var name: String {
        switch action {
        case .dedupe: return "dedupe"
        case .standardise: return "standardise"
        case .missing: return "missing"
        case .validate: return "validate"
        case .plugin: return "plugin"
        }
    }

    /// Every column the step reads (they must exist when it runs). A plugin step's columns come from the plugin's
    /// `uses` (and the step's `columns:` mapping), known once the plugin is loaded, so they are not listed here.
    public var columns: [String] {
        switch action {
        case .dedupe(let key, let keep):
            if case .latest(let by) = keep { return key + [by] }
            return key
        case .standardise(let s): return [s.column]
        case .missing(let c, _): return [c]
        case .validate(let v): return [v.column]
        case .plugin: return []
        }
    }
}

/// A `plugin` step: a cleaner plugin by name, with parameter overrides and field → column mappings, as for criteria.
public struct CleanPluginSpec: Sendable, Equatable {
    /// The cleaner plugin's name.
    public var name: String
    /// Parameter overrides (only parameters the plugin declares, with values of the same type).
    public var params: [String: PluginValue] = [:]
    /// Field the plugin uses → the dataset column that feeds it (and receives what it returns).
    public var columns: [String: String] = [:]
    /// `library:` and `version:` of the step.
    public var pin = PluginPin()
}

/// Which row of a group of duplicates `dedupe` keeps.
public enum DedupeKeep: Sendable, Equatable {
    /// The first in file order.
    case first
    /// The last in file order.
    case last
    /// The one with the greatest value in column `by` (ties: the first of them; missing values rank lowest).
    case latest(by: String)
}

/// Letter case for `standardise`.
public enum TextCase: String, Sendable, Equatable, CaseIterable {
    /// UPPER CASE.
    case upper
    /// lower case.
    case lower
}

/// A `standardise` step. Text operations apply in this order: trim, collapse whitespace, case, map; then, when
/// `dates` is set, the result is parsed with the first format that matches.
public struct StandardiseSpec: Sendable, Equatable {
    /// The column.
    public var column: String
    /// Remove leading and trailing whitespace.
    public var trim = false
    /// Upper or lower case.
    public var textCase: TextCase?
    /// Replace each run of whitespace with one space.
    public var collapseWhitespace = false
    /// Value → replacement, matched against the value after the operations above.
    public var map: [String: String] = [:]
    /// strftime-style formats (`%Y %m %d %y %b %%`); when set the column becomes a date column.
    public var dates: [String] = []
}

/// What `missing` does with a column's missing values.
public enum MissingAction: Sendable, Equatable {
    /// Remove the rows.
    case dropRow
    /// Fill with this value (converted to the column's type).
    case fill(String)
    /// Fill with the median of the present values (numeric and date columns).
    case fillMedian
    /// Keep the values missing and add a bool column `<column>_missing`.
    case flag
}

/// A `validate` step: rules checked in the order required, range, allowed, regex; a row fails on the first rule
/// it breaks. Missing values only fail `required`.
public struct ValidateSpec: Sendable, Equatable {
    /// The column.
    public var column: String
    /// Inclusive bounds; numbers, or dates written YYYY-MM-DD (as days since 1970) for date columns.
    public var range: (min: Double, max: Double, dates: Bool)?
    /// Values allowed (compared as text).
    public var allowed: [String]?
    /// A regular expression the whole value must match.
    public var regex: String?
    /// Whether a missing value fails.
    public var required = false
    /// What a failure does.
    public var onError: OnError = .reject

    /// What a validation failure does.
    public enum OnError: String, Sendable, Equatable, CaseIterable {
        /// The row goes to `rejects.csv` and leaves the table.
        case reject
        /// The run stops with a `DataError`.
        case stop
    }

    public static func == (a: ValidateSpec, b: ValidateSpec) -> Bool {
        a.column == b.column && a.range?.min == b.range?.min && a.range?.max == b.range?.max
            && a.range?.dates == b.range?.dates && a.allowed == b.allowed && a.regex == b.regex
            && a.required == b.required && a.onError == b.onError
    }
}
