import Foundation

/// The demo's data files and, for each METHODS.md example, every customer's segment recomputed from the rules the
/// page states (not from the plugins' code): an independent check of what `seg run` wrote.
struct DemoData {
    typealias Row = [String: String]
    var customers: [String] = []
    var customer: [String: Row] = [:]
    var activity: [String: Row] = [:]
    var companies: [Row] = []
    var nps: [String: Double] = [:]
    var orders: [String: Set<String>] = [:]
    var monetary: [String: Double] = [:]
    var lastDay: [String: Int] = [:]
    var referenceDay = 0

    init(folder: URL) throws {
        for row in try Self.csv(folder.appendingPathComponent("customers.csv")) {
            customers.append(row["customer_id"]!)
            customer[row["customer_id"]!] = row
        }
        for row in try Self.csv(folder.appendingPathComponent("customer_activity.csv")) { activity[row["customer_id"]!] = row }
        companies = try Self.csv(folder.appendingPathComponent("companies.csv"))
        for row in try Self.csv(folder.appendingPathComponent("transactions.csv")) {
            let id = row["customer_id"]!, day = Self.day(row["order_date"]!)
            orders[id, default: []].insert(row["order_id"]!)
            monetary[id, default: 0] += Double(row["amount"]!)!
            lastDay[id] = max(lastDay[id] ?? day, day)
            referenceDay = max(referenceDay, day)
        }
        // legacy_survey.txt: "id | score | DD/MM/YYYY", with a header, comments and blank lines.
        let survey = try String(contentsOf: folder.appendingPathComponent("legacy_survey.txt"), encoding: .utf8)
        for line in survey.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("customer_id") {
            let f = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if f.count == 3 { nps[f[0]] = Double(f[1]) }
        }
    }

    static func csv(_ url: URL) throws -> [Row] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    /// Days since 1970-01-01 of "YYYY-MM-DD" (civil calendar).
    static func day(_ s: String) -> Int {
        let p = s.split(separator: "-").map { Int($0)! }
        let y = p[1] <= 2 ? p[0] - 1 : p[0], m = p[1], d = p[2]
        let era = y / 400, yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468
    }

    func num(_ row: Row?, _ column: String) -> Double? { row?[column].flatMap { Double($0) } }

    /// The band a value falls in, lower bounds inclusive: 0 below the first bound.
    func band(_ bounds: [Double], _ v: Double) -> Int { bounds.filter { $0 <= v }.count }

    func expected(_ name: String) -> [(String, String?)]? {
        switch name {
        case "demographics": return customers.map { ($0, demographics($0)) }
        case "households": return customers.map { ($0, lifeStage($0)) }
        case "geography": return customers.map { ($0, geography($0)) }
        case "b2b": return companies.map { ($0["company_id"]!, firmographic($0)) }
        case "behaviour": return customers.map { ($0, behaviour($0)) }
        case "channels": return customers.map { ($0, channels($0)) }
        case "engagement": return customers.map { ($0, engagement($0)) }
        case "satisfaction": return customers.map { ($0, satisfaction($0)) }
        case "products": return customers.map { ($0, products($0)) }
        case "cross_sell": return customers.map { ($0, crossSell($0)) }
        case "attitudes": return customers.map { ($0, attitudes($0)) }
        case "value_lifecycle": return valueLifecycle()
        default: return nil
        }
    }

    func npsGroup(_ id: String) -> String? {
        guard let s = nps[id] else { return nil }
        return s >= 9 ? "Promoter" : s <= 6 ? "Detractor" : "Passive"
    }

    func demographics(_ id: String) -> String? {
        if let group = npsGroup(id) { return group }
        let c = customer[id]
        let age = num(c, "age").map { ["A <35", "B 35-54", "C 55+"][band([35, 55], $0)] } ?? "Unknown"
        let income = num(c, "income").map { ["A <50k", "B 50k+"][band([50000], $0)] } ?? "Unknown"
        return "\(age) · \(income)"
    }

    func lifeStage(_ id: String) -> String? {
        guard let age = num(customer[id], "age") else { return "Unknown" }
        let children = num(activity[id], "children") ?? 0
        let household = num(activity[id], "household_size") ?? 1 + children
        if age >= 65 { return "Retired" }
        if children >= 1 { return age < 40 ? "Young family" : "Mature family" }
        if age < 35 { return household <= 1 ? "Young single" : "Young couple" }
        return household <= 1 ? "Midlife single" : "Empty nest"
    }

    func geography(_ id: String) -> String? {
        let region = ["DE": "Western Europe", "FR": "Western Europe", "NL": "Western Europe", "GB": "Northern Europe",
                      "ES": "Southern Europe", "IT": "Southern Europe"][customer[id]!["country"]!]!
        let tier = num(activity[id], "city_population").map { ["Tier 3", "Tier 2", "Tier 1"][band([250000, 1000000], $0)] }
        return "\(region) × \(tier ?? "Unknown tier")"
    }

    func firmographic(_ row: Row) -> String? {
        let size = num(row, "employees").map {
            ["Micro (1-9)", "Small (10-49)", "Medium (50-249)", "Large (250+)"][band([10, 50, 250], $0)] } ?? "Unknown"
        let revenue = num(row, "revenue").map {
            ["<2M", "2M-10M", "10M-50M", "50M+"][band([2_000_000, 10_000_000, 50_000_000], $0)] } ?? "Unknown"
        return "\(size) · \(revenue)"
    }

    func behaviour(_ id: String) -> String? {
        guard let n = orders[id]?.count else { return "No orders × No orders" }
        let f = ["One-time", "Occasional", "Regular", "Frequent"][band([2, 5, 10], Double(n))]
        let aov = ["Low AOV", "Mid AOV", "High AOV", "Premium AOV"][band([25, 75, 150], monetary[id]! / Double(n))]
        return "\(f) × \(aov)"
    }

    func channels(_ id: String) -> String? {
        let a = activity[id]
        let online = num(a, "online_orders") ?? 0, store = num(a, "store_orders") ?? 0
        if online + store == 0 { return "No orders × No orders" }
        let share = online / (online + store), app = a?["app_user"] == "true"
        let tech = share >= 0.8 || (app && share >= 0.5) ? "Digital-first"
            : share <= 0.2 && !app ? "Offline" : "Omnichannel"
        let mix = store == 0 ? "Online only" : online == 0 ? "Store only"
            : share >= 0.7 ? "Mostly online" : share <= 1 - 0.7 ? "Mostly store" : "Mixed"
        return "\(tech) × \(mix)"
    }

    func engagement(_ id: String) -> String? {
        let a = activity[id]
        let s = num(a, "sessions"), o = num(a, "email_opens"), c = num(a, "email_clicks")
        if s == nil && o == nil && c == nil { return nil }
        let points = (s ?? 0) + 0.5 * (o ?? 0) + 2 * (c ?? 0)
        return points >= 10 ? "High" : points >= 3 ? "Moderate" : "Disengaged"
    }

    func satisfaction(_ id: String) -> String? {
        guard let csat = num(activity[id], "csat_score"), let group = npsGroup(id) else { return nil }
        return "\(csat >= 4 ? "Satisfied" : csat <= 2 ? "Dissatisfied" : "Neutral") × \(group)"
    }

    static let categories = ["Electronics", "Fashion", "Home", "Beauty", "Sports"]

    /// Spend per category in the listed order (missing or negative: 0).
    func spend(_ id: String) -> [Double] {
        Self.categories.map { max(0, num(activity[id], "spend_\($0.lowercased())") ?? 0) }
    }

    /// The first category with the largest positive spend.
    func dominant(_ id: String) -> Int? {
        let s = spend(id)
        guard let top = s.max(), top > 0 else { return nil }
        return s.firstIndex(of: top)
    }

    func products(_ id: String) -> String? {
        let breadth = num(activity[id], "n_categories").map {
            ["No categories", "Single-category", "Multi-category", "Broad"][band([1, 2, 4], $0)] }
        guard let breadth else { return nil }
        let dominant = dominant(id).map { Self.categories[$0] } ?? "No category spend"
        return "\(dominant) × \(breadth)"
    }

    func crossSell(_ id: String) -> String? {
        guard let d = dominant(id) else { return "No category spend" }
        let affinity = ["Electronics": ["Home", "Sports"], "Fashion": ["Beauty", "Sports"],
                        "Home": ["Electronics", "Fashion"], "Beauty": ["Fashion", "Home"],
                        "Sports": ["Fashion", "Electronics"]]
        let s = spend(id), total = s.reduce(0, +), name = Self.categories[d]
        for target in affinity[name]! where s[Self.categories.firstIndex(of: target)!] / total < 0.1 {
            return "\(name) → \(target)"
        }
        return "\(name) → (none)"
    }

    func attitudes(_ id: String) -> String? {
        let dims = [("Price-conscious", [1, 2]), ("Quality-seeker", [3, 4]), ("Eco-minded", [5, 6])]
        var best: (String, Double)?
        for (label, items) in dims {
            let answers = items.compactMap { num(activity[id], "likert_\($0)") }
            guard !answers.isEmpty else { continue }  // 1 of 2 answered meets min_answered_share 0.5
            let mean = answers.reduce(0, +) / Double(answers.count)
            if best == nil || mean > best!.1 { best = (label, mean) }
        }
        guard let best else { return nil }
        return best.1 >= 4 ? best.0 : "No strong attitude"
    }

    /// Type 7 percentile of sorted values.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q / 100, j = Int(h.rounded(.down))
        return j + 1 < sorted.count ? sorted[j] + (h - Double(j)) * (sorted[j + 1] - sorted[j]) : sorted[j]
    }

    func valueLifecycle() -> [(String, String?)] {
        let values = customers.compactMap { monetary[$0] }.sorted()
        let breaks = [Self.percentile(values, 50), Self.percentile(values, 80)]
        return customers.map { id in
            guard let m = monetary[id], let n = orders[id]?.count, let last = lastDay[id] else {
                return (id, "No purchases × Lead")
            }
            let tier = ["Low value", "Mid value", "High value"][band(breaks, m)]
            let recency = referenceDay - last
            let stage: String
            if recency > 180 { stage = "Lapsed" }
            else if recency > 90 { stage = "At Risk" }
            else if let gap = num(activity[id], "purchase_gap_days"), gap > 180 { stage = "Reactivated" }
            else if n >= 5 { stage = "Loyal" }
            else if n >= 2 { stage = "Repeat" }
            else { stage = "First-time" }
            return (id, "\(tier) × \(stage)")
        }
    }

    /// churn_risk as docs/METHODS.md states it.
    func churnRisk(_ id: String) -> Double? {
        guard let last = lastDay[id] else { return nil }
        let a = activity[id]
        var total = 0.5 * Double(min(referenceDay - last, 365)) / 365 * 100, weights = 0.5
        let recent = num(a, "orders_recent"), previous = num(a, "orders_previous")
        if recent != nil || previous != nil {
            let r = recent ?? 0, p = previous ?? 0
            let trend = r + p == 0 ? 100 : max(0, p - r) / max(p, r) * 100
            total += 0.3 * trend; weights += 0.3
        }
        if let s = num(a, "sessions") { total += 0.2 * (1 - min(s, 10) / 10) * 100; weights += 0.2 }
        return (total / weights * 10 + 0.5).rounded(.down) / 10  // rounded to one decimal
    }
}
