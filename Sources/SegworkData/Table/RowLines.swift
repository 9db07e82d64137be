/// Where each row of a table read from a text file starts: the 1-based physical line of its record.
///
/// Stored sparsely: rows normally follow one another one line apart, so only the rows where that breaks
/// (after blank lines, or after a record with quoted line breaks) are kept. A file with no such rows costs
/// a few bytes however long it is; `line(of:)` is a binary search.
public struct RowLines: Sendable, Equatable {
    /// The line of row 0.
    public private(set) var firstLine: Int
    /// Number of rows covered.
    public private(set) var count: Int = 0
    /// Rows where the gap from the row before is not one line, ascending.
    private var jumpRows: [Int] = []
    /// For each entry of `jumpRows`: the line of that row minus (`firstLine` + row).
    private var jumpShifts: [Int] = []

    /// No rows yet.
    public init() { firstLine = 1 }

    /// The line where row `row`'s record starts.
    public func line(of row: Int) -> Int {
        var lo = 0, hi = jumpRows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if jumpRows[mid] <= row { lo = mid + 1 } else { hi = mid }
        }
        return firstLine + row + (lo == 0 ? 0 : jumpShifts[lo - 1])
    }

    /// Appends the next row, whose record starts on `line`.
    @inline(__always)
    public mutating func append(line: Int) {
        if count == 0 { firstLine = line; count = 1; return }
        let shift = jumpShifts.last ?? 0
        if line != firstLine + count + shift {
            jumpRows.append(count)
            jumpShifts.append(line - firstLine - count)
        }
        count += 1
    }

    /// Appends every row of `other` (whose lines are already absolute).
    public mutating func append(contentsOf other: RowLines) {
        guard other.count > 0 else { return }
        let base = count
        append(line: other.firstLine)
        // Rows of `other` keep their lines: translate its jumps (never at its row 0) to this list's shifts.
        for (k, r) in other.jumpRows.enumerated() {
            let line = other.firstLine + r + other.jumpShifts[k]
            jumpRows.append(base + r)
            jumpShifts.append(line - firstLine - (base + r))
        }
        count = base + other.count
    }
}
