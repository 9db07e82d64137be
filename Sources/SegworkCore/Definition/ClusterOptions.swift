import Foundation
import Yams

/// `features.clusters`: k-means clustering of customers on some of their columns (docs/CLUSTERING.md).
public struct ClusterSpec: Sendable, Equatable {
    /// How a numeric column is scaled before clustering.
    public enum Scale: String, Sendable, CaseIterable {
        /// (x − mean) / standard deviation (population, ddof 0; a constant column becomes 0).
        case zscore
        /// (x − min) / (max − min), into [0, 1] (a constant column becomes 0).
        case minmax
        /// log1p(x), then z-score: for skewed amounts such as money. Values must be ≥ 0.
        case log
        /// As it is.
        case none
    }

    /// Numeric columns of the customer table (features such as `monetary` included), in order.
    public var columns: [String]
    /// Categorical columns, one-hot encoded (one 0/1 column per value).
    public var categorical: [String] = []
    /// The candidates for k, smallest first (one value, or every k of a range).
    public var k: [Int]
    /// Column → scaling; columns not listed use `defaultScale`.
    public var scale: [String: Scale] = [:]
    /// The scaling of numeric columns `scale` does not name (`zscore` unless `scale: <method>` says otherwise).
    public var defaultScale: Scale = .zscore
    /// Seed of the k-means++ seeding and the silhouette sample.
    public var seed: UInt64 = 42
    /// Rows the silhouette is computed on (a seeded sample; all rows when there are fewer).
    public var sample: Int = 2000
    /// k-means++ restarts per k; the fit with the least inertia is kept.
    public var restarts: Int = 1
    /// Most Lloyd iterations per fit.
    public var maxIterations: Int = 300
    /// Convergence tolerance, relative to the mean variance of the scaled columns (scikit-learn's `tol`).
    public var tolerance: Double = 1e-4
    /// The cluster id column added to the customer table; the readable label goes to `<output>_label`.
    public var output: String = "cluster"
    /// A silhouette below this earns the scorecard a `low_silhouette` warning.
    public var minSilhouette: Double = 0.25

    /// The readable label column.
    public var labelColumn: String { output + "_label" }
}

extension Definition {
    /// Parses `features.clusters`.
    static func parseClusters(_ node: Node, _ y: YAMLFields, lines: inout [String: Int]) throws -> ClusterSpec {
        let path = "features.clusters"
        var spec = ClusterSpec(columns: [], k: [])
        lines[path] = node.mark?.line
        var seen = Set<String>()
        for (key, v) in try y.mapping(node, path, known: clusterKeys) {
            let p = "\(path).\(key)"
            seen.insert(key)
            lines[p] = v.mark?.line
            switch key {
            case "columns", "categorical":
                let names = try y.strings(v, p)
                for (i, item) in (v.sequence.map(Array.init) ?? []).enumerated() { lines["\(p)[\(i)]"] = item.mark?.line }
                if key == "columns" { spec.columns = names } else { spec.categorical = names }
            case "k":
                if v.scalar != nil {
                    spec.k = [try y.int(v, p)]
                } else {
                    let items = try y.sequence(v, p)
                    guard items.count == 2 else { throw y.error(v, "'\(p)' must be a number (k: 5) or a range [lowest, highest] (k: [2, 8])") }
                    let (lo, hi) = (try y.int(items[0], p), try y.int(items[1], p))
                    guard lo <= hi else { throw y.error(v, "'\(p)' is the range [\(lo), \(hi)]; write the lowest k first") }
                    spec.k = Array(lo...hi)
                }
                guard spec.k.allSatisfy({ $0 >= 1 && $0 <= 50 }) else {
                    throw y.error(v, "'\(p)' must be between 1 and 50")
                }
                if spec.k.count > 1 && spec.k[0] < 2 {
                    throw y.error(v, "'\(p)': a range is chosen by silhouette, which needs k ≥ 2; start the range at 2")
                }
            case "scale":
                if v.scalar != nil {
                    spec.defaultScale = try scale(v, p, y)
                } else {
                    for (column, s) in try y.mapping(v, p) {
                        lines["\(p).\(column)"] = s.mark?.line
                        if column == "default" { spec.defaultScale = try scale(s, "\(p).default", y) }
                        else { spec.scale[column] = try scale(s, "\(p).\(column)", y) }
                    }
                }
            case "seed":
                let s = try y.int(v, p)
                guard s >= 0 else { throw y.error(v, "'\(p)' must be a whole number ≥ 0") }
                spec.seed = UInt64(s)
            case "sample": spec.sample = try positive(v, p, y, min: 10)
            case "n_init": spec.restarts = try positive(v, p, y, min: 1)
            case "max_iter": spec.maxIterations = try positive(v, p, y, min: 1)
            case "tol":
                spec.tolerance = try y.double(v, p)
                guard spec.tolerance >= 0 else { throw y.error(v, "'\(p)' must be ≥ 0") }
            case "min_silhouette": spec.minSilhouette = try y.double(v, p)
            default:
                spec.output = try y.string(v, p)
                guard spec.output.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                    throw y.error(v, "'\(p)' must be letters, digits and '_' (not starting with a digit)")
                }
            }
        }
        for required in ["columns", "k"] where !seen.contains(required) {
            throw y.error(node, "'\(path)' needs '\(required)'")
        }
        if spec.columns.isEmpty && spec.categorical.isEmpty { throw y.error(node, "'\(path).columns' must name at least one column") }
        for column in spec.scale.keys.sorted() where !spec.columns.contains(column) {
            throw DefinitionError(file: y.file, line: lines["\(path).scale.\(column)"],
                                  "'\(path).scale' names '\(column)', which is not one of '\(path).columns'; \(didYouMean(column, spec.columns))scaled columns: \(spec.columns.joined(separator: ", "))")
        }
        return spec
    }

    private static func scale(_ node: Node, _ path: String, _ y: YAMLFields) throws -> ClusterSpec.Scale {
        let s = try y.string(node, path)
        guard let scale = ClusterSpec.Scale(rawValue: s) else {
            throw y.error(node, "'\(path)' must be one of \(ClusterSpec.Scale.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(s)')")
        }
        return scale
    }

    private static func positive(_ node: Node, _ path: String, _ y: YAMLFields, min: Int) throws -> Int {
        let i = try y.int(node, path)
        guard i >= min else { throw y.error(node, "'\(path)' must be a whole number ≥ \(min)") }
        return i
    }
}
