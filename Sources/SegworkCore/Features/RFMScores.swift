import SegworkData

/// The RFM score columns: r_score, f_score, m_score (1…bins; recency scored in reverse, fewer days scoring
/// higher) and rfm_score, over the customers who bought. Customers without purchases have missing scores, as
/// in the packages, which never see them.
///
/// Per measure: with `cuts`, the value's bin among those cut points; else the values (`ties: shared`) or their
/// ranks (`first`, `first_by_id`, `first_by_text_id`: pandas `rank(method="first")` with ties in population, id
/// or id-as-text order; `average`: `rank(method="average")`) cut at their own type-7 quantiles
/// (`QuantileBins`). One sort per measure: 1 M customers take well under a second.
package enum RFMScores {
    /// The output column names, in order.
    package static let outputs = ["r_score", "f_score", "m_score", "rfm_score"]

    /// The four score columns for the population (`valid`: who bought). `options` are merged with the preset.
    package static func columns(recency: [Int64], frequency: [Int64], monetary: [Double], valid: Bitmap, ids: Column,
                                options: RFMOptions) -> [Column] {
        let n = valid.count
        let buyers = (0..<n).filter { valid[$0] }
        let tie: [Int32]? = switch options.ties ?? .firstByID {
        case .firstByID: idKeys(ids, buyers, asText: false)
        case .firstByTextID: idKeys(ids, buyers, asText: true)
        default: nil
        }
        let r = score(buyers.map { Double(recency[$0]) }, "recency", descending: true, tie: tie, options)
        let f = score(buyers.map { Double(frequency[$0]) }, "frequency", descending: false, tie: tie, options)
        let m = score(buyers.map { monetary[$0] }, "monetary", descending: false, tie: tie, options)
        var rs = [Int64](repeating: 0, count: n), fs = rs, ms = rs
        for (k, i) in buyers.enumerated() { rs[i] = Int64(r[k]); fs[i] = Int64(f[k]); ms[i] = Int64(m[k]) }
        let composite: Column.Storage
        switch options.compose ?? .digits {
        case .digits:
            // Scores are 1…9 (bins <= 9, cuts <= 8 points), so 100 R + 10 F + M names the text: one code each.
            var codes = [Int32](repeating: 0, count: n)
            var dictionary: [String] = [""]
            var code = [Int32](repeating: -1, count: 1000)
            for i in buyers {
                let key = Int(100 * rs[i] + 10 * fs[i] + ms[i])
                if code[key] < 0 {
                    code[key] = Int32(dictionary.count)
                    dictionary.append("\(rs[i])\(fs[i])\(ms[i])")
                }
                codes[i] = code[key]
            }
            composite = .string(codes: codes, dictionary: dictionary)
        case .weighted: composite = .integer((0..<n).map { 100 * rs[$0] + 10 * fs[$0] + ms[$0] })
        case .sum: composite = .integer((0..<n).map { rs[$0] + fs[$0] + ms[$0] })
        }
        return [Column(name: "r_score", storage: .integer(rs), validity: valid),
                Column(name: "f_score", storage: .integer(fs), validity: valid),
                Column(name: "m_score", storage: .integer(ms), validity: valid),
                Column(name: "rfm_score", storage: composite, validity: valid)]
    }

    /// One measure's scores for the buyers' values `x`.
    static func score(_ x: [Double], _ measure: String, descending: Bool, tie: [Int32]?,
                      _ options: RFMOptions) -> [Int] {
        guard !x.isEmpty else { return [] }
        let closed = options.closed ?? .right
        if let cuts = options.cuts[measure] {
            return QuantileBins.scores(x, interior: cuts, closed: closed, descending: descending)
        }
        let ties = options.ties ?? .firstByID
        let basis: [Double]
        var sorted: [Double]
        switch ties {
        case .shared:
            basis = x
            sorted = SortDoubles.sorted(x)
        case .average:
            basis = Ranks.average(x)
            sorted = SortDoubles.sorted(basis)
        default:
            basis = Ranks.first(x, tie: ties == .first ? nil : tie)
            sorted = (1...x.count).map(Double.init)
        }
        let rule = QuantileBinRule(bins: options.bins ?? 5, closed: closed,
                                   dropDuplicateEdges: (options.emptyBins ?? .drop) == .drop,
                                   formula: options.quantiles ?? .pandas, offset: options.breakOffset ?? 0)
        let interior = QuantileBins.interior(sorted: sorted, rule: rule)
        sorted = []
        // Kept duplicate breakpoints still count as bins (some empty); dropped ones leave interior.count + 1 bins.
        return QuantileBins.scores(basis, interior: interior, closed: closed, descending: descending)
    }

    /// The buyers' tie keys: their ids' ranks in ascending id order.
    private static func idKeys(_ ids: Column, _ buyers: [Int], asText: Bool) -> [Int32] {
        if !asText, case .integer(let v) = ids.storage {
            return Ranks.idOrder(integers: buyers.map { v[$0] })
        }
        return Ranks.idOrder(texts: buyers.map { ids.string(at: $0) ?? "" }, numeric: !asText)
    }
}
