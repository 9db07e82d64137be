import SegworkData
import Yams

/// A named set of `features.rfm` options that reproduces a well-known package (docs/RFM.md has each one's
/// definition and source).
package enum RFMPreset: String, Sendable, CaseIterable {
    /// PyPI `rfm` 1.0.9 (`RFM(df, ...)`).
    case pypiRFM = "pypi_rfm"
    /// CRAN `rfm` 0.3.0 (`rfm_table_order`).
    case cranRFM = "cran_rfm"
    /// pymc-marketing's `clv.rfm_segments`.
    case pymcMarketing = "pymc_marketing"
    /// pandas `qcut` on `rank(method="first")`, 5 × 5 R × F grid.
    case rfGrid = "rf_grid"

    /// The options it sets.
    package var options: RFMOptions {
        var o = RFMOptions()
        o.bins = 5
        o.closed = .right
        o.quantiles = .pandas
        o.breakOffset = 0
        o.compose = .digits
        o.monetary = .sum
        switch self {
        case .pypiRFM:
            o.reference = .last
            o.frequency = .rows
            o.ties = .firstByTextID
            o.emptyBins = .keep
        case .cranRFM:
            o.frequency = .rows
            o.ties = .shared
            o.closed = .left
            o.emptyBins = .keep
            o.quantiles = .r
            o.breakOffset = 1
            o.compose = .weighted
        case .pymcMarketing:
            o.reference = .last
            o.frequency = .days
            o.monetary = .mean
            o.bins = 4
            o.ties = .shared
            o.emptyBins = .drop
        case .rfGrid:
            o.reference = .dayAfter
            o.ties = .firstByID
            o.emptyBins = .drop
        }
        return o
    }
}

/// The options of `features.rfm` beyond its columns (docs/RFM.md "Options"). Every field is nil when the
/// definition leaves it out; `merged()` fills them from the preset, `effective` from the defaults.
package struct RFMOptions: Sendable, Equatable {
    /// The reference date recency counts to.
    package enum Reference: Sendable, Equatable {
        /// The latest transaction date of the population's customers.
        case last
        /// The day after it.
        case dayAfter
        /// A given date.
        case date(CivilDate)
    }

    /// What frequency counts per customer.
    package enum Frequency: String, Sendable, CaseIterable {
        case rows, orders, days, weeks, months, years
    }

    /// What monetary is per customer.
    package enum Monetary: String, Sendable, CaseIterable {
        /// Sum of amounts.
        case sum
        /// Sum of amounts divided by frequency (mean per row, order, day … as frequency counts).
        case mean
    }

    /// How equal values are ordered before quantile binning.
    package enum Ties: String, Sendable, CaseIterable {
        /// pandas `rank(method="first")` in population order.
        case first
        /// `rank(method="first")` in ascending id order (integers as numbers, text by its bytes).
        case firstByID = "first_by_id"
        /// `rank(method="first")` in ascending order of the id as text (`"10"` before `"9"`).
        case firstByTextID = "first_by_text_id"
        /// pandas `rank(method="average")`.
        case average
        /// The values themselves against their quantile breakpoints: equal values share a score.
        case shared
    }

    /// How the three scores combine into `rfm_score`.
    package enum Compose: String, Sendable, CaseIterable {
        /// Text of the three digits, "545".
        case digits
        /// 100 R + 10 F + M as a number.
        case weighted
        /// R + F + M.
        case sum
    }

    /// Equal breakpoints: keep them (empty bins) or drop them and number the remaining bins 1…k.
    package enum EmptyBins: String, Sendable, CaseIterable {
        case keep, drop
    }

    package var preset: RFMPreset?
    package var reference: Reference?
    package var frequency: Frequency?
    package var monetary: Monetary?
    package var bins: Int?
    /// Cut points per measure ("recency", "frequency", "monetary"), ascending.
    package var cuts: [String: [Double]] = [:]
    package var ties: Ties?
    package var closed: ClosedSide?
    package var emptyBins: EmptyBins?
    package var quantiles: QuantileFormula?
    package var breakOffset: Double?
    package var compose: Compose?
    /// `scores:`; nil means on when a preset or a scoring option is given.
    package var scores: Bool?

    package init() {}

    /// The keys of `features.rfm` that are options (DefinitionKeys.rfmKeys lists them too).
    package static let keys = ["preset", "reference", "frequency", "monetary", "bins", "cuts", "ties", "closed",
                               "empty_bins", "quantiles", "break_offset", "compose", "scores"]

    /// Whether score columns are added: `scores:` if given, else whether any scoring option or a preset is.
    package var scoresOn: Bool {
        scores ?? (preset != nil || bins != nil || !cuts.isEmpty || ties != nil || closed != nil || emptyBins != nil
                   || quantiles != nil || breakOffset != nil || compose != nil)
    }

    /// These options over the preset's: an option given next to a preset overrides it.
    package func merged() -> RFMOptions {
        guard let p = preset?.options else { return self }
        var o = self
        o.reference = reference ?? p.reference
        o.frequency = frequency ?? p.frequency
        o.monetary = monetary ?? p.monetary
        o.bins = bins ?? p.bins
        o.ties = ties ?? p.ties
        o.closed = closed ?? p.closed
        o.emptyBins = emptyBins ?? p.emptyBins
        o.quantiles = quantiles ?? p.quantiles
        o.breakOffset = breakOffset ?? p.breakOffset
        o.compose = compose ?? p.compose
        return o
    }

    /// Reads the option keys of `features.rfm` (`entries` holds only those); `hasOrder` says whether `order:` is set.
    static func parse(_ entries: [(key: String, value: Node)], _ y: YAMLFields, hasOrder: Bool) throws -> RFMOptions {
        var o = RFMOptions()
        func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _: T.Type) throws -> T
            where T.RawValue == String {
            let s = try y.string(node, "features.rfm.\(key)")
            guard let v = T(rawValue: s) else {
                let all = T.allCases.map(\.rawValue)
                throw y.error(node, "'features.rfm.\(key)' is '\(s)'; \(Definition.didYouMean(s, all))use one of: \(all.joined(separator: ", "))")
            }
            return v
        }
        for (key, node) in entries {
            let path = "features.rfm.\(key)"
            switch key {
            case "preset": o.preset = try choice(node, key, RFMPreset.self)
            case "reference":
                let s = try y.string(node, path)
                switch s {
                case "last": o.reference = .last
                case "day_after": o.reference = .dayAfter
                default:
                    guard let d = CivilDate(iso: Substring(s)) else {
                        throw y.error(node, "'\(path)' is '\(s)'; use last, day_after or a date YYYY-MM-DD")
                    }
                    o.reference = .date(d)
                }
            case "frequency":
                let f = try choice(node, key, Frequency.self)
                if f == .orders && !hasOrder {
                    throw y.error(node, "'\(path)' is 'orders' but 'features.rfm.order' is not set; name the order id column in 'order:'")
                }
                o.frequency = f
            case "monetary": o.monetary = try choice(node, key, Monetary.self)
            case "bins":
                let n = try y.int(node, path)
                guard (2...9).contains(n) else { throw y.error(node, "'\(path)' must be a whole number from 2 to 9, got \(n)") }
                o.bins = n
            case "cuts":
                for (measure, list) in try y.mapping(node, path, known: ["recency", "frequency", "monetary"]) {
                    let cuts = try y.sequence(list, "\(path).\(measure)").enumerated().map {
                        try y.double($0.element, "\(path).\(measure)[\($0.offset)]")
                    }
                    guard !cuts.isEmpty, cuts.count <= 8, zip(cuts, cuts.dropFirst()).allSatisfy({ $0 < $1 }) else {
                        throw y.error(list, "'\(path).\(measure)' must list 1 to 8 cut points in ascending order, each larger than the one before")
                    }
                    o.cuts[measure] = cuts
                }
            case "ties": o.ties = try choice(node, key, Ties.self)
            case "closed": o.closed = try choice(node, key, ClosedSide.self)
            case "empty_bins": o.emptyBins = try choice(node, key, EmptyBins.self)
            case "quantiles": o.quantiles = try choice(node, key, QuantileFormula.self)
            case "break_offset": o.breakOffset = try y.double(node, path)
            case "compose": o.compose = try choice(node, key, Compose.self)
            default: o.scores = try y.bool(node, path)
            }
        }
        if o.merged().frequency == .orders && !hasOrder, let node = entries.first(where: { $0.key == "preset" })?.value {
            throw y.error(node, "preset '\(o.preset!.rawValue)' counts distinct orders but 'features.rfm.order' is not set; name the order id column in 'order:' or set 'frequency:'")
        }
        return o
    }
}
