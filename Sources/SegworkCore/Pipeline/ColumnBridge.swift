import LuaHost
import SegworkData

extension Column {
    /// This column as a plugin sees it, named `field`. Arrays are shared, not copied; dates become
    /// dictionary-encoded `YYYY-MM-DD` text (one string per distinct date).
    func pluginInput(as field: String) -> ColumnInput {
        let values: ColumnInput.Values
        switch storage {
        case .integer(let v): values = .integer(v)
        case .double(let v): values = .double(v)
        case .bool(let v): values = .bool(v)
        case .string(let c, let d): values = .string(codes: c, dictionary: d)
        case .date(let days):
            var codeOf: [Int32: Int32] = [:]
            var dictionary: [String] = []
            var codes = [Int32](repeating: 0, count: days.count)
            for i in 0..<days.count where isValid(i) {
                if let c = codeOf[days[i]] { codes[i] = c; continue }
                let c = Int32(dictionary.count)
                codeOf[days[i]] = c
                dictionary.append(CivilDate(days: days[i]).description)
                codes[i] = c
            }
            values = .string(codes: codes, dictionary: dictionary)
        }
        return ColumnInput(name: field, values: values, validity: validity?.words)
    }

    /// A column of `rows.count` values taken from the given rows (-1 gives a missing value), named `name`.
    func gather(_ rows: [Int32], name: String) -> Column {
        var valid = Bitmap(count: rows.count, allSet: true)
        for (i, r) in rows.enumerated() where r < 0 || !isValid(Int(r)) { valid[i] = false }
        func pick<T>(_ v: [T], _ zero: T) -> [T] { rows.map { $0 < 0 ? zero : v[Int($0)] } }
        let s: Storage
        switch storage {
        case .integer(let v): s = .integer(pick(v, 0))
        case .double(let v): s = .double(pick(v, 0))
        case .bool(let v): s = .bool(pick(v, false))
        case .date(let v): s = .date(pick(v, 0))
        case .string(let c, let d): s = .string(codes: pick(c, 0), dictionary: d)
        }
        return Column(name: name, storage: s, validity: valid)
    }
}

extension Table {
    /// A fingerprint of the table's contents (names, types and every value), for inputs that are not files.
    func fingerprint() -> String {
        var h = SHA256()
        for c in columns {
            h.update("\(c.name):\(c.type.rawValue)\n".utf8)
            for i in 0..<rowCount { h.update((c.string(at: i) ?? "\u{0}").utf8); h.update(CollectionOfOne(10)) }
        }
        return h.hexDigest()
    }
}
