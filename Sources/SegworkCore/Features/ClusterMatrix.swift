import Foundation
import SegworkData

/// The matrix k-means runs on: one row per customer with every feature present, numeric columns scaled as the
/// definition says, categorical columns one-hot encoded (a 0/1 column per value, values in byte order, not scaled).
/// A customer missing any feature is left out (unclustered).
struct ClusterMatrix {
    /// Row-major values, `rows` × `features.count`.
    var values: [Double]
    /// Table row of each matrix row.
    var tableRows: [Int]
    /// The columns, with their scaling.
    var features: [ClusterFeatureInfo]
    /// Original values (one-hot: 0/1), row-major like `values`: for the centroids in original units.
    var original: [Double]

    var rows: Int { tableRows.count }
    var cols: Int { features.count }

    /// Builds the matrix, its rows in a canonical order: by customer id in byte order (ties by table row), so
    /// the fit does not depend on the order of the input file. Throws a definition error naming the line for a
    /// column the table lacks or cannot use; `notes` (the run's notes so far) let it name a bad value's line.
    static func build(_ table: Table, _ spec: ClusterSpec, _ def: Definition, notes: [String] = []) throws -> ClusterMatrix {
        let n = table.rowCount
        // Centroids are exported and stored like profile statistics: personal columns are refused as in a profile.
        for (role, names) in [("columns", spec.columns), ("categorical", spec.categorical)] {
            for (i, name) in names.enumerated() where def.piiColumns.contains(name) {
                throw DefinitionError(file: def.file, line: def.line(of: "features.clusters.\(role)[\(i)]", or: def.line(of: "features.clusters.\(role)")),
                                      "features.clusters.\(role) names '\(name)', which a dataset tags pii: true; personal columns are never profiled or exported, and cluster centroids are. Remove it from features.clusters.\(role)")
            }
        }
        var numeric: [Column] = []
        var keep = [Bool](repeating: true, count: n)
        for (i, name) in spec.columns.enumerated() {
            let line = def.line(of: "features.clusters.columns[\(i)]", or: def.line(of: "features.clusters.columns"))
            guard let c = table[name] else {
                throw DefinitionError(file: def.file, line: line, "features.clusters.columns names '\(name)', which the customer table does not have; \(Definition.didYouMean(name, table.columnNames))available: \(table.columnNames.sorted().joined(separator: ", "))")
            }
            try ClusterChecks.requireValues(c, role: "columns", line: line, def)
            guard c.isNumeric || c.type == .date else { throw ClusterChecks.notNumeric(c, line: line, def, table, notes: notes) }
            numeric.append(c)
            for r in 0..<n where !c.isValid(r) { keep[r] = false }
        }
        var categorical: [(Column, [String])] = []
        for (i, name) in spec.categorical.enumerated() {
            let line = def.line(of: "features.clusters.categorical[\(i)]", or: def.line(of: "features.clusters.categorical"))
            guard let c = table[name] else {
                throw DefinitionError(file: def.file, line: line, "features.clusters.categorical names '\(name)', which the customer table does not have; \(Definition.didYouMean(name, table.columnNames))available: \(table.columnNames.sorted().joined(separator: ", "))")
            }
            try ClusterChecks.requireValues(c, role: "categorical", line: line, def)
            for r in 0..<n where !c.isValid(r) { keep[r] = false }
            categorical.append((c, []))
        }
        let ids = table[def.id]
        let keys = (0..<n).map { r in keep[r] ? Array((ids?.string(at: r) ?? "").utf8) : [] }
        let before: (Int, Int) -> Bool = { keys[$0] != keys[$1] ? keys[$0].lexicographicallyPrecedes(keys[$1]) : $0 < $1 }
        var tableRows = (0..<n).filter { keep[$0] }
        // A file already sorted by id (the usual case) needs no sort.
        if zip(tableRows, tableRows.dropFirst()).contains(where: { !before($0, $1) }) { tableRows.sort(by: before) }
        for i in categorical.indices {
            let c = categorical[i].0
            let values = Set(tableRows.map { c.string(at: $0) ?? "" }).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            guard values.count <= 50 else {
                throw DefinitionError(file: def.file, line: def.line(of: "features.clusters.categorical"),
                                      "features.clusters.categorical names '\(c.name)', which has \(values.count) distinct values; one-hot encoding takes at most 50. Cluster on a coarser column")
            }
            categorical[i].1 = values
        }
        let m = tableRows.count
        var features: [ClusterFeatureInfo] = []
        var columnsOriginal: [[Double]] = []
        var columnsScaled: [[Double]] = []
        for c in numeric {
            let scale = spec.scale[c.name] ?? spec.defaultScale
            let x = tableRows.map { c.double(at: $0)! }
            if scale == .log, let bad = x.firstIndex(where: { $0 < 0 }) {
                throw DefinitionError(file: def.file, line: def.line(of: "features.clusters.scale.\(c.name)", or: def.line(of: "features.clusters.scale")),
                                      "features.clusters.scale: '\(c.name)' is scaled by log, but customer \(table[def.id]?.string(at: tableRows[bad]) ?? "?") has \(formatDouble(x[bad])); log needs values ≥ 0. Use zscore for this column")
            }
            let t = scale == .log ? x.map { Foundation.log1p($0) } : x
            var center = 0.0, by = 1.0, scaled = t
            switch scale {
            case .zscore, .log:
                (center, by, scaled) = ClusterChecks.standardize(t)
            case .minmax:
                center = t.min() ?? 0
                let range = (t.max() ?? 0) - center
                by = range > 0 ? range : 1
                scaled = t.map { ($0 - center) / by }
            case .none: break
            }
            try ClusterChecks.requireScalable(x, scaled: scaled, by: by, scale: scale, column: c.name, rows: tableRows, table, def)
            features.append(ClusterFeatureInfo(name: c.name, column: c.name, value: nil, scale: scale.rawValue,
                                               center: center, scaleBy: by))
            columnsOriginal.append(x)
            columnsScaled.append(scaled)
        }
        for (c, values) in categorical {
            for v in values {
                let x = tableRows.map { c.string(at: $0) == v ? 1.0 : 0.0 }
                features.append(ClusterFeatureInfo(name: "\(c.name)=\(v)", column: c.name, value: v, scale: "onehot",
                                                   center: 0, scaleBy: 1))
                columnsOriginal.append(x)
                columnsScaled.append(x)
            }
        }
        let d = features.count
        var values = [Double](repeating: 0, count: m * d), original = values
        for j in 0..<d {
            for i in 0..<m { values[i * d + j] = columnsScaled[j][i]; original[i * d + j] = columnsOriginal[j][i] }
        }
        return ClusterMatrix(values: values, tableRows: tableRows, features: features, original: original)
    }
}
