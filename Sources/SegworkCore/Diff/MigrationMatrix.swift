import Foundation
import SegworkData

/// The migration matrix of a diff, stored sparsely: only the cells that hold customers, so its memory is
/// linear in the non-empty cells (at most one per customer), never in the square of the segment count.
/// `matrix[i, j]` is the number of customers in `labels[i]` in the older version and `labels[j]` in the newer.
public struct MigrationMatrix: Sendable, Equatable {
    /// One non-empty cell.
    public struct Cell: Sendable, Equatable {
        /// Row: axis index in the older version.
        public var from: Int
        /// Column: axis index in the newer version.
        public var to: Int
        /// Customers in it (more than 0).
        public var count: Int
        /// Creates a cell.
        public init(from: Int, to: Int, count: Int) { self.from = from; self.to = to; self.count = count }
    }

    /// Rows and columns (the diff's axis length).
    public let size: Int
    /// The non-empty cells, by row, then column.
    public let cells: [Cell]

    /// Axis lengths up to which exports write the matrix in full (every cell, zeros included), as they always
    /// did; beyond it they list only the non-empty cells (docs/DIFF.md, "Large diffs").
    public static let fullLimit = 200

    /// A matrix of `size` × `size` from its non-empty cells (in any order; zero counts are dropped, cells with
    /// the same position are added up).
    public init(size: Int, cells: [Cell]) {
        var merged: [Cell] = []
        for c in cells.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) where c.count != 0 {
            precondition(c.from >= 0 && c.from < size && c.to >= 0 && c.to < size, "cell outside the matrix")
            if let last = merged.last, last.from == c.from, last.to == c.to {
                merged[merged.count - 1].count += c.count
            } else {
                merged.append(c)
            }
        }
        self.size = size
        self.cells = merged
    }

    /// A matrix from full rows (`rows[i][j]`), for tests and small hand-made diffs.
    public init(rows: [[Int]]) {
        var cells: [Cell] = []
        for (i, row) in rows.enumerated() {
            precondition(row.count == rows.count, "a migration matrix is square")
            for (j, n) in row.enumerated() where n != 0 { cells.append(Cell(from: i, to: j, count: n)) }
        }
        self.init(size: rows.count, cells: cells)
    }

    /// Counts one customer per pair: `pairs` yields (row, column) axis indices. Memory: one dictionary entry per
    /// distinct pair.
    init(size: Int, counting count: Int, _ pair: (Int) -> (Int, Int)) {
        var counts: [Int: Int] = [:]
        for k in 0..<count {
            let (i, j) = pair(k)
            counts[i * size + j, default: 0] += 1
        }
        self.init(size: size, cells: counts.map { Cell(from: $0.key / size, to: $0.key % size, count: $0.value) })
    }

    /// Customers in row `i`, column `j` (0 for an empty cell).
    public subscript(i: Int, j: Int) -> Int {
        var lo = 0, hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (cells[mid].from, cells[mid].to) < (i, j) { lo = mid + 1 } else { hi = mid }
        }
        return lo < cells.count && cells[lo].from == i && cells[lo].to == j ? cells[lo].count : 0
    }

    /// Whether exports write it in full (`size <= fullLimit`).
    public var isSmall: Bool { size <= Self.fullLimit }

    /// Every cell, zeros included: `rows()[i][j]`. Quadratic in `size`; exports use it only when `isSmall`.
    public func rows() -> [[Int]] {
        var out = [[Int]](repeating: [Int](repeating: 0, count: size), count: size)
        for c in cells { out[c.from][c.to] = c.count }
        return out
    }
}
