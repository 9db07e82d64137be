/// Keeping some rows of a column or table without a second copy of it: the rows kept are moved down in place
/// (they are ascending, so row `rows[j]` never lies before position `j`), then the storage is cut to length.
///
/// Cleaning steps drop rows from tables of many millions of rows; gathering into new arrays would hold the table
/// twice at that moment. In place, the extra memory is nothing when the arrays are not shared, and one column at a
/// time when they are (copy on write copies only the column being compacted). When fewer than three quarters of
/// the rows stay, the kept rows are copied into arrays of the new length instead, so the memory of the dropped rows
/// is returned rather than kept as spare capacity.
extension Column {
    /// Keeps the rows listed, which must be ascending, distinct and in range; the others leave the column.
    public mutating func keepRows(_ rows: [Int32]) {
        let n = rows.count
        guard n != count else { return }
        let shrink = n < count - count / 4
        func compact<T>(_ v: inout [T]) {
            if shrink {
                v = rows.map { v[Int($0)] }
                return
            }
            v.withUnsafeMutableBufferPointer { p in
                for j in 0..<n { p[j] = p[Int(rows[j])] }
            }
            v.removeLast(v.count - n)
        }
        if var valid = validity {
            validity = nil
            valid.keepRows(rows)
            validity = valid.allSet ? nil : valid
        }
        // Each array is taken out of the enum before it is changed, so it is not shared with `storage` (no copy).
        switch storage {
        case .integer(var v): storage = .bool([]); compact(&v); storage = .integer(v)
        case .double(var v): storage = .bool([]); compact(&v); storage = .double(v)
        case .bool(var v): storage = .bool([]); compact(&v); storage = .bool(v)
        case .date(var v): storage = .bool([]); compact(&v); storage = .date(v)
        case .string(var c, let d): storage = .bool([]); compact(&c); storage = .string(codes: c, dictionary: d)
        }
    }
}

extension Bitmap {
    /// Keeps the rows listed (ascending, distinct, in range), in place.
    public mutating func keepRows(_ rows: [Int32]) {
        var out = Bitmap(count: rows.count, allSet: false)
        for (j, r) in rows.enumerated() where self[Int(r)] { out[j] = true }
        self = out
    }
}
