import SegworkData

/// The example `seg init` writes so that a new workspace runs at once: a tiny sample dataset (24 customers, their
/// orders) and a definition that segments them with the bundled `rfm` criterion and `value_score` scorer.
/// The data is made by a fixed formula, so every new workspace gets the same bytes and, for one Segwork checkout
/// (the definition's first line names its schemas folder), the same first run id.
enum WorkspaceExample {
    /// The example's files, relative to the workspace. `seg init` writes them only when none of them exists.
    static let files: [(String, String)] = [
        ("segmentations/example_rfm.yaml", definition),
        ("data/sample_customers.csv", customers),
        ("data/sample_transactions.csv", transactions),
    ]

    static let definition = """
    # An example definition on the sample data in data/: RFM segments (Champions … Lost) with a 0-100 value score.
    # Run it with `seg run <workspace>`; see docs/DEFINITIONS.md for every field. Edit or delete it freely.
    description: RFM segments of the sample customers
    population: customers
    id: customer_id
    as_of: 2024-12-31
    datasets:
      customers:
        file: data/sample_customers.csv
        schema: { signup_date: date }
      transactions:
        file: data/sample_transactions.csv
        schema: { order_date: date, amount: double }
    features:
      rfm: { transactions: transactions, customer: customer_id, order: order_id, date: order_date, amount: amount }
    scorers:
      - plugin: value_score
    criteria:
      - plugin: rfm
    profile:
      numeric: [recency_days, frequency, monetary, value_score]
      categorical: [country, channel]
    exports: [json, csv, md, html]

    """

    static let countries = ["DE", "ES", "FR", "NL"]
    static let channels = ["web", "app", "store"]
    static let customerCount = 24

    /// `customer_id,signup_date,country,channel`, one row per customer.
    static var customers: String {
        var out = "customer_id,signup_date,country,channel\n"
        for i in 1...customerCount {
            let signup = CivilDate(days: CivilDate(iso: "2023-01-05")!.days + Int32(i * 23))
            out += "C\(pad(i)),\(signup),\(countries[i % countries.count]),\(channels[(i / 2) % channels.count])\n"
        }
        return out
    }

    /// `order_id,customer_id,order_date,amount`: 0 to 7 orders per customer (every sixth customer never bought),
    /// spread over 2024, so the RFM quintiles and segments differ.
    static var transactions: String {
        var out = "order_id,customer_id,order_date,amount\n"
        var order = 1000
        let start = CivilDate(iso: "2024-01-02")!.days
        for i in 1...customerCount where i % 6 != 0 {
            let orders = 1 + (i * 5) % 8
            let last = 360 - (i * 37) % 350        // days after 2 January 2024 of the latest order
            for k in 0..<orders {
                order += 1
                let day = CivilDate(days: start + Int32(max(0, last - k * (11 + i % 5))))
                let cents = 1500 + (i * 977 + k * 613) % 18000
                out += "\(order),C\(pad(i)),\(day),\(cents / 100).\(pad(cents % 100, 2))\n"
            }
        }
        return out
    }

    private static func pad(_ n: Int, _ width: Int = 3) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
