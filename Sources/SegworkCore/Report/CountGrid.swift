import Foundation

/// Counts by row label × column label, stored sparsely, that a heatmap draws. Grids of many labels are folded to
/// `HTMLReport.heatmapLabels` rows and columns (the rest summed into one "(N more)" row or column), so a report stays
/// readable and its size bounded whatever the segment count; `report-data.json` keeps every cell.
struct CountGrid {
    var rows: [String]
    var columns: [String]
    /// Non-empty cells: row, column, count.
    var cells: [(row: Int, column: Int, count: Int)]

    /// Keeps the first `limit - tail - 1` labels and the last `tail` on each axis, summing the others into one
    /// "(N more)" label before the tail. Unchanged when an axis has at most `limit` labels.
    func folded(limit: Int, rowTail: Int = 0, columnTail: Int = 0) -> CountGrid {
        func axis(_ labels: [String], tail: Int) -> (labels: [String], map: [Int]) {
            guard labels.count > limit else { return (labels, Array(labels.indices)) }
            let head = limit - tail - 1, more = labels.count - head - tail
            let map = labels.indices.map { i in i < head ? i : i >= labels.count - tail ? head + 1 + (i - (labels.count - tail)) : head }
            return (Array(labels[..<head]) + ["(\(more) more)"] + Array(labels.suffix(tail)), map)
        }
        let (r, rm) = axis(rows, tail: rowTail), (c, cm) = axis(columns, tail: columnTail)
        var sums: [Int: Int] = [:]
        for cell in cells { sums[rm[cell.row] * c.count + cm[cell.column], default: 0] += cell.count }
        return CountGrid(rows: r, columns: c, cells: sums.keys.sorted().map { ($0 / c.count, $0 % c.count, sums[$0]!) })
    }

    /// The dense counts, 0 where no cell is.
    var dense: [[Int]] {
        var out = [[Int]](repeating: [Int](repeating: 0, count: columns.count), count: rows.count)
        for c in cells { out[c.row][c.column] += c.count }
        return out
    }
}
