/// Minimum-cost assignment (the Hungarian method with potentials, O(n²m)) for an n × m cost matrix with n ≤ m.
package enum Hungarian {
    /// For each row the column assigned to it, so that the total cost is least. `cost` is row-major, `rows` × `cols`;
    /// when there are more rows than columns the matrix is transposed and unmatched rows get -1. Costs must be finite.
    package static func assign(_ cost: [Double], rows: Int, cols: Int) -> [Int] {
        precondition(cost.count == rows * cols, "Hungarian: \(cost.count) costs for \(rows) × \(cols)")
        if rows == 0 { return [] }
        if rows > cols {
            var t = [Double](repeating: 0, count: rows * cols)
            for r in 0..<rows { for c in 0..<cols { t[c * rows + r] = cost[r * cols + c] } }
            let colToRow = assign(t, rows: cols, cols: rows)
            var out = [Int](repeating: -1, count: rows)
            for (c, r) in colToRow.enumerated() where r >= 0 { out[r] = c }
            return out
        }
        let n = rows, m = cols
        // 1-based arrays as in the classic formulation; p[j] is the row matched to column j (0: none).
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: m + 1)
        var p = [Int](repeating: 0, count: m + 1), way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...m where !used[j] {
                    let cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...m {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var out = [Int](repeating: -1, count: n)
        for j in 1...m where p[j] != 0 { out[p[j] - 1] = j - 1 }
        return out
    }
}
